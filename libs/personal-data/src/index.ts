export * from './personal-data-vault';
