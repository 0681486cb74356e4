export * from './foundry';
export * from './project';
