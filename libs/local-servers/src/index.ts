export * from './local-postgres';
export * from './local-kafka';
