/**
 * Customers' keys in a file of their own under DATA_DIR (the embedded default). A database cannot forget on
 * disk: PGlite keeps a destroyed key in its WAL segment even after VACUUM FULL and CHECKPOINT (measured, see the
 * README). This file can: a new key is appended and fsynced before it is used (concurrent appends share one
 * fsync); erasing rewrites the file without the customer's keys (temp file, fsync, rename, fsync of the
 * directory), so no file under DATA_DIR holds them any more.
 *
 * One line per key: { keyId, customerId, createdAt, key (base64) } while live, { keyId, customerId, createdAt,
 * erasedAt } once erased; erased entries stay, so a second erasure and "never seen" can be told apart.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CustomerKey, CustomerKeyStore, ErasureOutcome } from './customer-key-store';

interface KeyEntry {
  keyId: string;
  customerId: string;
  createdAt: string;
  key?: string;
  erasedAt?: string;
}

export class KeyFileCorruptError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`the customer key file ${file} is damaged at line ${line} (${reason}); restore it from a backup before starting`);
  }
}

export class FileCustomerKeyStore implements CustomerKeyStore {
  readonly kind = 'file' as const;
  private readonly entries = new Map<string, KeyEntry>();
  private readonly byCustomer = new Map<string, string[]>();
  private readonly creating = new Map<string, Promise<CustomerKey>>();
  private pending: Array<{ entry: KeyEntry; done: (error?: Error) => void }> = [];
  /** Every write runs on this chain, one at a time: appends (batched) and rewrites never interleave. */
  private writes: Promise<unknown> = Promise.resolve();
  private appender?: FileHandle;

  constructor(readonly file: string) {}

  async init(): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    rmSync(this.tempFile, { force: true });
    if (!existsSync(this.file)) {
      await this.rewrite([]);
    } else {
      const torn = this.load(readFileSync(this.file, 'utf8'));
      if (torn) await this.rewrite([...this.entries.values()]);
    }
    this.appender = await open(this.file, 'a', 0o600);
  }

  /** Reads the file; answers true when its last line was torn by a crash (a key never handed out: dropped). */
  private load(text: string): boolean {
    const lines = text.split('\n');
    const last = lines.length - 1;
    let torn = false;
    lines.forEach((line, index) => {
      if (line === '') return;
      let entry: KeyEntry;
      try {
        entry = JSON.parse(line) as KeyEntry;
      } catch {
        if (index === last) {
          torn = true;
          return;
        }
        throw new KeyFileCorruptError(this.file, index + 1, 'not JSON');
      }
      if (typeof entry?.keyId !== 'string' || typeof entry.customerId !== 'string')
        throw new KeyFileCorruptError(this.file, index + 1, 'no keyId or customerId');
      this.remember(entry);
    });
    return torn;
  }

  private remember(entry: KeyEntry): void {
    if (!this.entries.has(entry.keyId)) {
      const ids = this.byCustomer.get(entry.customerId) ?? [];
      ids.push(entry.keyId);
      this.byCustomer.set(entry.customerId, ids);
    }
    this.entries.set(entry.keyId, entry);
  }

  private get tempFile(): string {
    return `${this.file}.tmp`;
  }

  private liveKeyOf(customerId: string): CustomerKey | undefined {
    const ids = this.byCustomer.get(customerId) ?? [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const entry = this.entries.get(ids[i])!;
      if (entry.key) return { keyId: entry.keyId, key: Buffer.from(entry.key, 'base64') };
    }
    return undefined;
  }

  keyFor(customerId: string): Promise<CustomerKey> {
    const live = this.liveKeyOf(customerId);
    if (live) return Promise.resolve(live);
    const inFlight = this.creating.get(customerId);
    if (inFlight) return inFlight;
    const key = randomBytes(32);
    const entry: KeyEntry = { keyId: randomUUID(), customerId, createdAt: new Date().toISOString(), key: key.toString('base64') };
    const created = this.append(entry)
      .then(() => {
        this.remember(entry);
        return { keyId: entry.keyId, key };
      })
      .finally(() => this.creating.delete(customerId));
    this.creating.set(customerId, created);
    return created;
  }

  async key(keyId: string): Promise<Buffer | undefined> {
    const stored = this.entries.get(keyId)?.key;
    return stored ? Buffer.from(stored, 'base64') : undefined;
  }

  erase(customerId: string, erasedAt: string): Promise<ErasureOutcome> {
    return this.onWriteChain(async () => {
      const ids = this.byCustomer.get(customerId);
      if (!ids) return { known: false, keysDestroyed: 0 };
      const live = ids.map((id) => this.entries.get(id)!).filter((e) => e.key !== undefined);
      if (live.length === 0) {
        const first = ids
          .map((id) => this.entries.get(id)!.erasedAt)
          .filter((at): at is string => !!at)
          .sort()[0];
        return { known: true, keysDestroyed: 0, erasedAt: first };
      }
      const after = [...this.entries.values()].map((e) =>
        e.customerId === customerId && e.key !== undefined ? { keyId: e.keyId, customerId: e.customerId, createdAt: e.createdAt, erasedAt } : e,
      );
      await this.rewrite(after);
      for (const entry of after) if (entry.customerId === customerId) this.entries.set(entry.keyId, entry);
      return { known: true, keysDestroyed: live.length, erasedAt };
    });
  }

  /** Takes over keys kept elsewhere before (an earlier release's table), in one rewrite; known key ids are skipped. */
  adopt(entries: Array<{ keyId: string; customerId: string; createdAt: string; key?: Buffer; erasedAt?: string }>): Promise<number> {
    return this.onWriteChain(async () => {
      const fresh = entries
        .filter((e) => !this.entries.has(e.keyId))
        .map((e): KeyEntry =>
          e.key
            ? { keyId: e.keyId, customerId: e.customerId, createdAt: e.createdAt, key: e.key.toString('base64') }
            : { keyId: e.keyId, customerId: e.customerId, createdAt: e.createdAt, erasedAt: e.erasedAt ?? e.createdAt },
        );
      if (fresh.length === 0) return 0;
      await this.rewrite([...this.entries.values(), ...fresh]);
      for (const entry of fresh) this.remember(entry);
      return fresh.length;
    });
  }

  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.appender?.close();
    this.appender = undefined;
  }

  private onWriteChain<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private append(entry: KeyEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entry, done: (error) => (error ? reject(error) : resolve()) });
      if (this.pending.length === 1) void this.onWriteChain(() => this.flush());
    });
  }

  /** Appends every waiting entry with one write and one fsync. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      if (!this.appender) throw new Error(`the customer key file ${this.file} is not open`);
      await this.appender.appendFile(batch.map(({ entry }) => `${JSON.stringify(entry)}\n`).join(''), 'utf8');
      await this.appender.sync();
      for (const { done } of batch) done();
    } catch (error) {
      // A failed append may have left part of a line: put the file back to what is known before anything else.
      await this.rewrite([...this.entries.values()]).catch(() => undefined);
      for (const { done } of batch) done(error as Error);
    }
  }

  /** Replaces the file with these entries: temp file, fsync, rename over, fsync of the directory. */
  private async rewrite(entries: KeyEntry[]): Promise<void> {
    const temp = await open(this.tempFile, 'w', 0o600);
    try {
      await temp.writeFile(entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
      await temp.sync();
    } finally {
      await temp.close();
    }
    const hadAppender = !!this.appender;
    await this.appender?.close();
    this.appender = undefined;
    try {
      await rename(this.tempFile, this.file);
      const dir = await open(dirname(this.file), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } finally {
      if (hadAppender) this.appender = await open(this.file, 'a', 0o600);
    }
  }
}
