export * from './tenant-access';
