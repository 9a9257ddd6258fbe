/**
 * Runs a suite once per event store adapter: PGlite always, PostgreSQL when the run has a server (always in
 * CI), EventStoreDB when EVENTSTORE_CONNECTION_STRING is set. The business code under test is the same.
 */
import { EventStoreDbEventStore, SqlEventStore } from '@aftersales/event-store';
import { PgliteSqlClient, PostgresSqlClient } from '@aftersales/sql-client';
import type { Storage } from '@aftersales/storage';
import { freshPgliteDir } from './pglite-template';
import { createTestDatabase, describeWithServer, postgresUrl } from './servers';

export type StorageFactory = () => Promise<Storage>;

export async function pgliteStorage(): Promise<Storage> {
  const sql = await PgliteSqlClient.open(freshPgliteDir());
  return { eventStore: await SqlEventStore.open('pglite', sql), readModels: sql, readModelKind: 'pglite', close: () => sql.close() };
}

export async function postgresStorage(): Promise<Storage> {
  const sql = await PostgresSqlClient.open(await createTestDatabase('api'));
  return { eventStore: await SqlEventStore.open('postgres', sql), readModels: sql, readModelKind: 'postgres', close: () => sql.close() };
}

export function forEachStore(title: string, suite: (openStorage: StorageFactory) => void): void {
  describe(`${title} [PGlite]`, () => suite(pgliteStorage));
  describeWithServer(
    'a PostgreSQL server',
    postgresUrl() !== undefined,
    "Install Debian's postgresql package (the test run starts a server from it) or set TEST_DATABASE_URL.",
    `${title} [PostgreSQL]`,
    () => suite(postgresStorage),
  );
  const esdb = process.env.EVENTSTORE_CONNECTION_STRING;
  describeWithServer(
    'an EventStoreDB server',
    esdb !== undefined,
    'Set EVENTSTORE_CONNECTION_STRING to run this suite on EventStoreDB too.',
    `${title} [EventStoreDB]`,
    () =>
      suite(async () => {
        const eventStore = await EventStoreDbEventStore.open(esdb!);
        const sql = await PgliteSqlClient.open(freshPgliteDir());
        return {
          eventStore,
          readModels: sql,
          readModelKind: 'pglite',
          close: async () => {
            await eventStore.close();
            await sql.close();
          },
        };
      }),
    false,
  );
}
