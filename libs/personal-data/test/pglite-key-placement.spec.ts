/**
 * Why the embedded default keeps keys in a file: measured here, PGlite keeps a destroyed key in its WAL segment
 * even after VACUUM FULL of the key table and CHECKPOINT. And the vault as opened on PGlite: keys in the file,
 * an earlier release's key table moved into it, the fingerprint secret in a 0600 file.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { SqlCustomerKeyStore, fingerprintSecretFileIn, keyFileIn, openPersonalDataVault } from '../src';
import { PGLITE_TEMPLATE_ENV } from '../../../test/harness/pglite-template';
import { filesHolding, keyNeedles } from './files-holding';

jest.setTimeout(120_000);

describe('Keys on the embedded default (PGlite)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aftersales-keys-pglite-'));
    // A copy of the run's initialised PGlite template, as the other suites use (initialising one takes seconds).
    const template = process.env[PGLITE_TEMPLATE_ENV];
    if (template) cpSync(template, join(dataDir, 'pglite'), { recursive: true });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a key kept in a PGlite table survives in the WAL after it is destroyed, VACUUM FULL and CHECKPOINT, even after a restart', async () => {
    const pgliteDir = join(dataDir, 'pglite');
    let sql = await PgliteSqlClient.open(pgliteDir);
    const keys = new SqlCustomerKeyStore(sql);
    await keys.init();
    const { key } = await keys.keyFor('cust-1');
    await keys.erase('cust-1', new Date().toISOString());
    await sql.query('VACUUM FULL customer_keys');
    await sql.query('CHECKPOINT');
    await sql.close();
    sql = await PgliteSqlClient.open(pgliteDir);
    await sql.query('CHECKPOINT');
    await sql.close();
    const hits = filesHolding(dataDir, keyNeedles('key', key));
    expect(hits).toEqual([expect.stringMatching(/^key \(base64\) in pglite\/pg_wal\//)]);
  });

  it('opens the vault with keys in a file, moves an earlier key table into it, and leaves no trace of erased keys in the files', async () => {
    const sql = await PgliteSqlClient.open(join(dataDir, 'pglite'));
    try {
      const before = new SqlCustomerKeyStore(sql);
      await before.init();
      const old = await before.keyFor('cust-old');
      const { vault, notes } = await openPersonalDataVault({ readModelKind: 'pglite', sql, dataDir });
      expect(notes).toEqual([expect.stringContaining('moved 1 customer key(s)')]);
      expect(vault.keyStoreKind).toBe('file');
      expect((await sql.query<{ t: string | null }>("SELECT to_regclass('customer_keys')::text AS t")).rows[0].t).toBeNull();
      expect(filesHolding(dataDir, keyNeedles('old key', old.key))).toContain('old key (base64) in keys/customer-keys.jsonl');

      const sealed = await vault.seal('cust-new', { phone: '+49 30 1234567' });
      expect(await vault.open(sealed)).toEqual({ phone: '+49 30 1234567' });
      expect(await vault.erase('cust-old')).toMatchObject({ known: true, keysDestroyed: 1, alreadyErased: false });
      expect(filesHolding(dataDir, keyNeedles('old key', old.key)).filter((hit) => hit.includes('keys/'))).toEqual([]);
      expect(statSync(fingerprintSecretFileIn(dataDir)).mode & 0o777).toBe(0o600);
      expect(statSync(keyFileIn(dataDir)).mode & 0o777).toBe(0o600);
      await vault.close();

      const again = await openPersonalDataVault({ readModelKind: 'pglite', sql, dataDir });
      expect(again.notes).toEqual([]);
      expect(await again.vault.open(sealed)).toEqual({ phone: '+49 30 1234567' });
      expect(again.vault.fingerprint({ a: 1 })).toBe(vault.fingerprint({ a: 1 })); // the generated secret is kept
      await again.vault.close();

      // FINGERPRINT_SECRET, when given, is used instead of the generated one: two installations given one secret agree.
      const given = randomBytes(32).toString('base64');
      const a = await openPersonalDataVault({ readModelKind: 'pglite', sql, dataDir, fingerprintSecret: given });
      const b = await openPersonalDataVault({ readModelKind: 'pglite', sql, dataDir: join(dataDir, 'other'), fingerprintSecret: given });
      expect(a.vault.fingerprint({ reason: 'x' })).toBe(b.vault.fingerprint({ reason: 'x' }));
      expect(a.vault.fingerprint({ reason: 'x' })).not.toBe(vault.fingerprint({ reason: 'x' }));
      await a.vault.close();
      await b.vault.close();
    } finally {
      await sql.close();
    }
  });
});
