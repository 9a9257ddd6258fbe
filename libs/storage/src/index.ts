export * from './open-storage';
