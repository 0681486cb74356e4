export * from './api';
export * from './backends';
export * from './gateway';
export * from './observability';
export * from './routing';
export * from './policies/inference-policy';
export * from './policies/llm';
export * from './policies/xml';
