export * from './open-storage';
export * from './data-dir-lock';
export * from './data-dir-permissions';
