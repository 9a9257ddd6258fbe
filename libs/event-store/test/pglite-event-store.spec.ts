import { rmSync } from 'node:fs';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { SqlEventStore } from '../src';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import { eventStoreContract } from './event-store.contract';
import { sqlTampering, sqlTamperingSuite } from './sql-tampering';

const dirs: string[] = [];
const openDir = () => {
  const dir = freshPgliteDir();
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

eventStoreContract(
  'PGlite (embedded default)',
  async () => {
    const sql = await PgliteSqlClient.open(openDir());
    return { store: await SqlEventStore.open('pglite', sql), tampering: sqlTampering(sql) };
  },
  true,
);

sqlTamperingSuite('PGlite', async () => {
  const sql = await PgliteSqlClient.open(openDir());
  return { sql, store: await SqlEventStore.open('pglite', sql) };
});
