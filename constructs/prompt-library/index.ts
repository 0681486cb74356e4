export * from './prompt-library';
