export * from './tenant-access';
export * from './tenant';
