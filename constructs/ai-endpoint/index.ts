export * from './ai-endpoint';
export * from './content-filter';
export * from './deployment-types';
