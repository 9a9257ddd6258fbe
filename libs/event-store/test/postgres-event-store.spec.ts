import { PostgresSqlClient } from '@aftersales/sql-client';
import { SqlEventStore } from '../src';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { eventStoreContract } from './event-store.contract';
import { sqlTamperingSuite } from './sql-tampering';

describeWithServer(
  'a PostgreSQL server',
  postgresUrl() !== undefined,
  "Install Debian's postgresql package (the test run starts a server from it) or set TEST_DATABASE_URL.",
  'PostgreSQL event store',
  () => {
    eventStoreContract('PostgreSQL', async () =>
      SqlEventStore.open('postgres', await PostgresSqlClient.open(await createTestDatabase('events'))),
    );
    sqlTamperingSuite('PostgreSQL', async () => {
      const sql = await PostgresSqlClient.open(await createTestDatabase('tamper'));
      return { sql, store: await SqlEventStore.open('postgres', sql) };
    });
  },
);
