/** The key file of the embedded default: durable keys, erasure that leaves no file holding them, damage found. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCustomerKeyStore, KeyFileCorruptError } from '../src';
import { filesHolding, keyNeedles } from './files-holding';

describe('FileCustomerKeyStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aftersales-keyfile-'));
    file = join(dir, 'keys', 'customer-keys.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const opened = async () => {
    const store = new FileCustomerKeyStore(file);
    await store.init();
    return store;
  };

  it('given a new customer, creates one key, keeps it across a restart and hands the same one out again', async () => {
    const store = await opened();
    const [a, b] = await Promise.all([store.keyFor('cust-1'), store.keyFor('cust-1')]);
    expect(a.keyId).toBe(b.keyId);
    expect(a.key).toHaveLength(32);
    await store.close();

    const again = await opened();
    expect((await again.keyFor('cust-1')).keyId).toBe(a.keyId);
    expect(await again.key(a.keyId)).toEqual(a.key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    await again.close();
  });

  it('when many customers arrive at once, every key is written (one line each) and readable after a restart', async () => {
    const store = await opened();
    const keys = await Promise.all(Array.from({ length: 50 }, (_, i) => store.keyFor(`cust-${i}`)));
    await store.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(50);
    const again = await opened();
    for (const { keyId, key } of keys) expect(await again.key(keyId)).toEqual(key);
    await again.close();
  });

  it('erasing a customer rewrites the file without their key: no file in the directory holds it in any encoding', async () => {
    const store = await opened();
    const erased = await store.keyFor('cust-gone');
    const kept = await store.keyFor('cust-stays');
    expect(filesHolding(dir, keyNeedles('key', erased.key))).toEqual(['key (base64) in keys/customer-keys.jsonl']);

    expect(await store.erase('cust-gone', '2026-03-02T10:00:00.000Z')).toEqual({ known: true, keysDestroyed: 1, erasedAt: '2026-03-02T10:00:00.000Z' });
    expect(await store.key(erased.keyId)).toBeUndefined();
    expect(await store.key(kept.keyId)).toEqual(kept.key);
    expect(filesHolding(dir, keyNeedles('key', erased.key))).toEqual([]);

    // Appends after the rewrite go to the new file.
    const later = await store.keyFor('cust-later');
    await store.close();
    const again = await opened();
    expect(await again.key(erased.keyId)).toBeUndefined();
    expect(await again.key(kept.keyId)).toEqual(kept.key);
    expect(await again.key(later.keyId)).toEqual(later.key);
    expect(filesHolding(dir, keyNeedles('key', erased.key))).toEqual([]);
    await again.close();
  });

  it('tells a customer never seen from one already erased, and gives an erased customer a new key when they come back', async () => {
    const store = await opened();
    expect(await store.erase('nobody', '2026-03-02T10:00:00.000Z')).toEqual({ known: false, keysDestroyed: 0 });
    const first = await store.keyFor('cust-1');
    await store.erase('cust-1', '2026-03-02T10:00:00.000Z');
    expect(await store.erase('cust-1', '2026-03-02T11:00:00.000Z')).toEqual({ known: true, keysDestroyed: 0, erasedAt: '2026-03-02T10:00:00.000Z' });
    const next = await store.keyFor('cust-1');
    expect(next.keyId).not.toBe(first.keyId);
    expect(await store.erase('cust-1', '2026-03-02T12:00:00.000Z')).toMatchObject({ known: true, keysDestroyed: 1 });
    await store.close();
  });

  it('drops a last line torn by a crash (its key was not yet handed out) and refuses a file damaged anywhere else', async () => {
    const store = await opened();
    const kept = await store.keyFor('cust-1');
    await store.close();
    appendFileSync(file, '{"keyId":"torn","custo');
    const again = await opened();
    expect(await again.key(kept.keyId)).toEqual(kept.key);
    expect(readFileSync(file, 'utf8')).not.toContain('torn');
    await again.close();

    writeFileSync(file, `not json\n${readFileSync(file, 'utf8')}`);
    await expect(opened()).rejects.toThrow(KeyFileCorruptError);
    await expect(opened()).rejects.toThrow(/line 1/);
  });

  it('adopts keys kept elsewhere before, live and erased, without doubling ones it has', async () => {
    const store = await opened();
    const own = await store.keyFor('cust-own');
    const key = Buffer.alloc(32, 7);
    const adopted = await store.adopt([
      { keyId: 'old-live', customerId: 'cust-old', createdAt: '2026-01-01T00:00:00.000Z', key },
      { keyId: 'old-erased', customerId: 'cust-erased', createdAt: '2026-01-01T00:00:00.000Z', erasedAt: '2026-02-01T00:00:00.000Z' },
      { keyId: own.keyId, customerId: 'cust-own', createdAt: '2026-01-01T00:00:00.000Z', key: Buffer.alloc(32, 1) },
    ]);
    expect(adopted).toBe(2);
    expect(await store.key('old-live')).toEqual(key);
    expect(await store.key(own.keyId)).toEqual(own.key);
    expect(await store.erase('cust-erased', '2026-03-01T00:00:00.000Z')).toEqual({ known: true, keysDestroyed: 0, erasedAt: '2026-02-01T00:00:00.000Z' });
    await store.close();
  });
});
