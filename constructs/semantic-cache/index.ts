export * from './semantic-cache';
