/**
 * The SQL event store's schema as ordered migrations (run by @aftersales/sql-client's `migrate` on PostgreSQL
 * and PGlite alike). A released migration never changes: a new column, index or version of a function (the
 * functions carry their version in their name) is a new migration at the end. The first ones are written
 * with IF NOT EXISTS / OR REPLACE, so databases created before migrations were recorded take them as they are.
 * Anchoring the streams of a store written before anchoring began is a repair of data, not of the schema: the
 * store checks for it on every open (sql-event-store.ts).
 */
import type { Migration } from '@aftersales/sql-client';
import { ddlStatements } from '@aftersales/sql-client';
import { APPEND_BATCH_FUNCTION_DDL, APPEND_FUNCTION_DDL, EVENT_STORE_SCHEMA } from './event-store-schema';

export const EVENT_STORE_COMPONENT = 'event-store';

export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'events, streams and anchors', statements: ddlStatements(EVENT_STORE_SCHEMA) },
  { version: 2, name: 'append function v3', statements: [APPEND_FUNCTION_DDL] },
  { version: 3, name: 'group-commit append function v1', statements: [APPEND_BATCH_FUNCTION_DDL] },
];
