import { PgliteSqlClient } from '@aftersales/sql-client';
import { SqlEventStore } from '../src';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import { eventStoreContract } from './event-store.contract';
import { sqlTamperingSuite } from './sql-tampering';

eventStoreContract('PGlite (embedded default)', async () =>
  SqlEventStore.open('pglite', await PgliteSqlClient.open(freshPgliteDir())),
);

sqlTamperingSuite('PGlite', async () => {
  const sql = await PgliteSqlClient.open(freshPgliteDir());
  return { sql, store: await SqlEventStore.open('pglite', sql) };
});
