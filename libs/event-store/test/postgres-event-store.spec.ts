import { PostgresSqlClient } from '@aftersales/sql-client';
import { SqlEventStore } from '../src';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { eventStoreContract } from './event-store.contract';
import { sqlTampering, sqlTamperingSuite } from './sql-tampering';

describeWithServer(
  'a PostgreSQL server',
  postgresUrl() !== undefined,
  "Install Debian's postgresql package (the test run starts a server from it) or set TEST_DATABASE_URL.",
  'PostgreSQL event store',
  () => {
    eventStoreContract(
      'PostgreSQL',
      async () => {
        const sql = await PostgresSqlClient.open(await createTestDatabase('events'));
        return { store: await SqlEventStore.open('postgres', sql), tampering: sqlTampering(sql) };
      },
      true,
    );
    it('six processes starting at once on one empty database all open it (schema applied in turn, not raced)', async () => {
      const url = await createTestDatabase('startup');
      for (let round = 0; round < 3; round++) {
        const clients = await Promise.all(Array.from({ length: 6 }, () => PostgresSqlClient.open(url)));
        try {
          const opened = await Promise.allSettled(clients.map((sql) => SqlEventStore.open('postgres', sql)));
          expect(opened.filter((o) => o.status === 'rejected')).toEqual([]);
        } finally {
          await Promise.all(clients.map((sql) => sql.close()));
        }
      }
    });

    sqlTamperingSuite('PostgreSQL', async () => {
      const sql = await PostgresSqlClient.open(await createTestDatabase('tamper'));
      return { sql, store: await SqlEventStore.open('postgres', sql) };
    });
  },
);
