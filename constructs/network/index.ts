export * from './existing-network';
export * from './network';
export * from './security-rules';
