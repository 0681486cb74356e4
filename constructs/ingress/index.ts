export * from './regional-waf';
