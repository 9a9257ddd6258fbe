/**
 * PostgreSQL: a destroyed key stays in old row versions and WAL until the maintenance of docs/erasure.md ran;
 * afterwards no file in the server's data directory holds it. Runs against the server the test run started.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresSqlClient } from '@aftersales/sql-client';
import { PersonalDataVault, SqlCustomerKeyStore, finalizeErasureOnPostgres, openPersonalDataVault } from '../src';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { filesHolding, keyNeedles, textNeedles } from './files-holding';

jest.setTimeout(120_000);

const dataDir = process.env.TEST_POSTGRES_DATA_DIR;

describeWithServer(
  'a PostgreSQL server whose data directory this run can read',
  postgresUrl() !== undefined && dataDir !== undefined,
  'Let the test run start its own server (leave TEST_DATABASE_URL unset) or set TEST_POSTGRES_DATA_DIR to its data directory.',
  'Erasure maintenance [PostgreSQL]',
  () => {
    let sql: PostgresSqlClient;
    let admin: Client;
    beforeAll(async () => {
      sql = await PostgresSqlClient.open(await createTestDatabase('erasure'));
      admin = new Client({ connectionString: postgresUrl() });
      await admin.connect();
      // The server setting the docs require: a recycled WAL segment is renamed, not wiped.
      await admin.query('ALTER SYSTEM SET wal_recycle = off');
      await admin.query('SELECT pg_reload_conf()');
    });
    afterAll(async () => {
      await admin.query('ALTER SYSTEM RESET wal_recycle');
      await admin.query('SELECT pg_reload_conf()');
      await admin.end();
      await sql.close();
    });

    it('given an erased customer, the key is still on disk until the maintenance ran, and nowhere in the data directory after it', async () => {
      const keys = new SqlCustomerKeyStore(sql);
      const vault = new PersonalDataVault(keys, randomBytes(32));
      await vault.init();
      const contact = { name: 'Zhang Min', phone: '+86 139 1234 5678', email: 'zhang.min@example.com' };
      const sealed = await vault.seal('cust-pg-erased', contact);
      const kept = await vault.seal('cust-pg-kept', { email: 'kept@example.com' });
      const { key } = await keys.keyFor('cust-pg-erased');
      const needles = keyNeedles('key', key);
      const personal = textNeedles(contact);

      await sql.query('CHECKPOINT');
      expect(filesHolding(dataDir!, needles).length).toBeGreaterThan(0); // the scan does find the key while it is live
      expect(filesHolding(dataDir!, personal)).toEqual([]); // the contact itself never reaches the database

      expect(await vault.erase('cust-pg-erased')).toMatchObject({ known: true, keysDestroyed: 1 });
      expect(await vault.open(sealed)).toBeUndefined();
      await sql.query('CHECKPOINT');
      expect(filesHolding(dataDir!, needles).length).toBeGreaterThan(0); // erasure alone is not final on disk

      const report = await finalizeErasureOnPostgres(sql);
      expect(report).toMatchObject({ walRecycle: 'off', archiveMode: 'off', replicationSlots: 0, warnings: [] });
      expect(filesHolding(dataDir!, needles)).toEqual([]);
      expect(filesHolding(dataDir!, personal)).toEqual([]);
      expect(await vault.open(kept)).toEqual({ email: 'kept@example.com' });
    });

    it('opened for PostgreSQL, keeps keys in the shared table and generates one fingerprint secret every process shares', async () => {
      const [a, b] = await Promise.all([
        openPersonalDataVault({ readModelKind: 'postgres', sql, dataDir: '/nonexistent-data-dir' }),
        openPersonalDataVault({ readModelKind: 'postgres', sql, dataDir: '/nonexistent-data-dir' }),
      ]);
      expect(a.vault.keyStoreKind).toBe('sql');
      expect(a.vault.fingerprint({ reason: 'x' })).toBe(b.vault.fingerprint({ reason: 'x' }));
      const sealed = await a.vault.seal('cust-shared', { name: 'Chen Jie' });
      expect(await b.vault.open(sealed)).toEqual({ name: 'Chen Jie' });
      await b.vault.erase('cust-shared');
      expect(await a.vault.open(sealed)).toBeUndefined(); // no process keeps an erased key in a cache
    });
  },
  false,
);
