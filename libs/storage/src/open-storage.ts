/**
 * Opens the event store and the read-model database the configuration names. On the embedded default both
 * live in one PGlite instance (a data directory can be opened once); on PostgreSQL they share one pool.
 */
import { mkdirSync } from 'node:fs';
import type { EventStore } from '@aftersales/event-store';
import { EventStoreDbEventStore, SqlEventStore } from '@aftersales/event-store';
import type { AppConfig } from '@aftersales/runtime-config';
import type { SqlClient } from '@aftersales/sql-client';
import { PgliteSqlClient, PostgresSqlClient } from '@aftersales/sql-client';

export interface Storage {
  eventStore: EventStore;
  readModels: SqlClient;
  readModelKind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

async function openPglite(dataDir: string): Promise<PgliteSqlClient> {
  mkdirSync(dataDir, { recursive: true });
  return PgliteSqlClient.open(dataDir);
}

export async function openStorage(config: AppConfig): Promise<Storage> {
  const pgliteDir = `${config.dataDir}/pglite`;
  if (config.eventStore.kind === 'eventstoredb') {
    const eventStore = await EventStoreDbEventStore.open(config.eventStore.connectionString);
    const readModels = config.databaseUrl ? await PostgresSqlClient.open(config.databaseUrl) : await openPglite(pgliteDir);
    return {
      eventStore,
      readModels,
      readModelKind: config.databaseUrl ? 'postgres' : 'pglite',
      close: async () => {
        await eventStore.close();
        await readModels.close();
      },
    };
  }
  const sql = config.eventStore.kind === 'postgres' ? await PostgresSqlClient.open(config.eventStore.connectionString) : await openPglite(pgliteDir);
  const kind = config.eventStore.kind;
  return {
    eventStore: await SqlEventStore.open(kind, sql),
    readModels: sql,
    readModelKind: kind,
    close: () => sql.close(),
  };
}
