export * from './content-safety';
