import { PostgresSqlClient } from '@aftersales/sql-client';
import { SqlEventStore } from '../src';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { eventStoreContract } from './event-store.contract';

describeWithServer(
  'a PostgreSQL server',
  postgresUrl() !== undefined,
  "Install Debian's postgresql package (the test run starts a server from it) or set TEST_DATABASE_URL.",
  'PostgreSQL event store',
  () => {
    eventStoreContract('PostgreSQL', async () =>
      SqlEventStore.open('postgres', await PostgresSqlClient.open(await createTestDatabase('events'))),
    );
  },
);
