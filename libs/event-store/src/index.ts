export * from './event-store.port';
export * from './sql/sql-client';
export * from './sql/sql-event-store';
export * from './pglite/pglite-sql-client';
export * from './postgres/postgres-sql-client';
export * from './eventstoredb/eventstoredb-event-store';
export * from './open-event-store';
