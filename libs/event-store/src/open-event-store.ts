/** Chooses and opens the event store adapter from configuration. */
import { mkdirSync } from 'node:fs';
import type { EventStore } from './event-store.port';
import { SqlEventStore } from './sql/sql-event-store';
import { PgliteSqlClient } from './pglite/pglite-sql-client';
import { PostgresSqlClient } from './postgres/postgres-sql-client';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';

export type EventStoreTarget =
  | { kind: 'pglite'; dataDir?: string }
  | { kind: 'postgres'; connectionString: string }
  | { kind: 'eventstoredb'; connectionString: string };

export async function openEventStore(target: EventStoreTarget): Promise<EventStore> {
  switch (target.kind) {
    case 'pglite':
      if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
      return SqlEventStore.open('pglite', await PgliteSqlClient.open(target.dataDir));
    case 'postgres':
      return SqlEventStore.open('postgres', await PostgresSqlClient.open(target.connectionString));
    case 'eventstoredb':
      return EventStoreDbEventStore.open(target.connectionString);
  }
}
