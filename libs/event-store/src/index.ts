export * from './event-store.port';
export * from './sql/sql-event-store';
export * from './eventstoredb/eventstoredb-event-store';
export * from './canonical-json';
export * from './hash-chain';
export * from './anchors';
export * from './observed-event-store';
export * from './traced-event-store';
