/**
 * Runs a suite once per event store adapter: PGlite always, PostgreSQL when the run has a server (always in
 * CI), EventStoreDB when EVENTSTORE_CONNECTION_STRING is set. The business code under test is the same.
 */
import type { EventStore } from '@aftersales/event-store';
import { EventStoreDbEventStore, SqlEventStore } from '@aftersales/event-store';
import { PgliteSqlClient, PostgresSqlClient } from '@aftersales/sql-client';
import { freshPgliteDir } from './pglite-template';
import { createTestDatabase, describeWithServer, postgresUrl } from './servers';

export type StoreFactory = () => Promise<EventStore>;

export function forEachStore(title: string, suite: (openStore: StoreFactory) => void): void {
  describe(`${title} [PGlite]`, () => suite(async () => SqlEventStore.open('pglite', await PgliteSqlClient.open(freshPgliteDir()))));
  describeWithServer(
    'a PostgreSQL server',
    postgresUrl() !== undefined,
    "Install Debian's postgresql package (the test run starts a server from it) or set TEST_DATABASE_URL.",
    `${title} [PostgreSQL]`,
    () => suite(async () => SqlEventStore.open('postgres', await PostgresSqlClient.open(await createTestDatabase('api')))),
  );
  const esdb = process.env.EVENTSTORE_CONNECTION_STRING;
  describeWithServer(
    'an EventStoreDB server',
    esdb !== undefined,
    'Set EVENTSTORE_CONNECTION_STRING to run this suite on EventStoreDB too.',
    `${title} [EventStoreDB]`,
    () => suite(() => EventStoreDbEventStore.open(esdb!)),
    false,
  );
}
