export * from './ai-endpoint';
export * from './content-filter';
