export * from './customer-key-store';
export * from './file-customer-key-store';
export * from './fingerprint-secret';
export * from './open-personal-data-vault';
export * from './personal-data-vault';
export * from './postgres-erasure-maintenance';
export * from './sql-customer-key-store';
