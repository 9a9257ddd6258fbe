/** Sealing, opening and erasing personal data; request fingerprints keyed by the server secret. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@aftersales/event-store';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { ERASED, FINGERPRINT_PREFIX, FileCustomerKeyStore, PersonalDataVault, SqlCustomerKeyStore, isSealed } from '../src';

describe('PersonalDataVault', () => {
  let dir: string;
  let vault: PersonalDataVault;
  const secret = randomBytes(32);
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aftersales-vault-'));
    vault = new PersonalDataVault(new FileCustomerKeyStore(join(dir, 'keys.jsonl')), secret, () => new Date('2026-03-02T10:00:00.000Z'));
    await vault.init();
  });
  afterEach(async () => {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals contact details so that no part of them is readable, and opens them with the key', async () => {
    const contact = { name: 'Li Wei', phone: '+86 138 0000 0000', email: 'li.wei@example.com' };
    const sealed = await vault.seal('cust-1', contact);
    expect(isSealed(sealed)).toBe(true);
    const text = JSON.stringify(sealed);
    for (const value of Object.values(contact)) expect(text).not.toContain(value);
    expect(await vault.open(sealed)).toEqual(contact);
  });

  it('after erasure the sealed value cannot be opened; a second erasure says so; an unknown customer is not known', async () => {
    const sealed = await vault.seal('cust-1', { email: 'a@example.com' });
    await vault.register('cust-2');
    expect(await vault.erase('cust-1')).toEqual({
      customerId: 'cust-1',
      known: true,
      keysDestroyed: 1,
      alreadyErased: false,
      erasedAt: '2026-03-02T10:00:00.000Z',
    });
    expect(await vault.open(sealed)).toBeUndefined();
    expect(await vault.erase('cust-1')).toEqual({
      customerId: 'cust-1',
      known: true,
      keysDestroyed: 0,
      alreadyErased: true,
      erasedAt: '2026-03-02T10:00:00.000Z',
    });
    expect(await vault.erase('cust-2')).toMatchObject({ known: true, keysDestroyed: 1 });
    expect(await vault.erase('never-seen')).toEqual({ customerId: 'never-seen', known: false, keysDestroyed: 0, alreadyErased: false });
    expect(ERASED).toBe('[erased]');
  });

  it('fingerprints a request with an HMAC under the server secret: order-blind, secret-dependent, not the unkeyed hash', () => {
    const request = { action: 'open', payload: { reason: 'Wrong size', orderId: 'ord-1' } };
    const reordered = { payload: { orderId: 'ord-1', reason: 'Wrong size' }, action: 'open' };
    const fingerprint = vault.fingerprint(request);
    expect(fingerprint.startsWith(FINGERPRINT_PREFIX)).toBe(true);
    expect(vault.fingerprint(reordered)).toBe(fingerprint);
    expect(vault.fingerprint({ ...request, action: 'other' })).not.toBe(fingerprint);
    const otherSecret = new PersonalDataVault(new FileCustomerKeyStore(join(dir, 'other.jsonl')), randomBytes(32));
    expect(otherSecret.fingerprint(request)).not.toBe(fingerprint);
    expect(fingerprint).not.toContain(createHash('sha256').update(canonicalJson(request)).digest('hex'));
  });

  it('registers a customer with the key store once: openings of a known customer ask it nothing until this vault erased them', async () => {
    const sql = await PgliteSqlClient.open(join(dir, 'pglite'));
    try {
      const keys = new SqlCustomerKeyStore(sql);
      let asked = 0;
      const keyFor = keys.keyFor.bind(keys);
      keys.keyFor = (customerId) => ((asked += 1), keyFor(customerId));
      const shared = new PersonalDataVault(keys, secret, () => new Date('2026-03-02T10:00:00.000Z'));
      await shared.init();
      for (let i = 0; i < 3; i++) await shared.register('cust-7');
      expect(asked).toBe(1);
      expect(await shared.erase('cust-7')).toMatchObject({ known: true, keysDestroyed: 1 });
      await shared.register('cust-7');
      expect(asked).toBe(2);
      expect(await shared.erase('cust-7')).toMatchObject({ known: true, keysDestroyed: 1 });
    } finally {
      await sql.close();
    }
  });

  it('refuses a fingerprint secret shorter than 32 bytes', () => {
    expect(() => new PersonalDataVault(new FileCustomerKeyStore(join(dir, 'short.jsonl')), Buffer.from('short'))).toThrow(/at least 32 bytes/);
  });
});
