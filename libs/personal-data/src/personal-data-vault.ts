/**
 * Crypto-shredding of personal data. Contact details in events are sealed with AES-256-GCM under a key of the
 * customer's; the keys live outside the event store (table `customer_keys`). Erasing a customer destroys their
 * keys: the events stay byte-for-byte as they were (the hash chain still verifies, every figure still counts),
 * but the sealed fields can no longer be read.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { SqlClient } from '@aftersales/sql-client';

export interface SealedValue {
  sealed: 'AES-256-GCM';
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

export const ERASED = '[erased]';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS customer_keys (
  key_id      TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  key         TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  erased_at   TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS customer_keys_customer ON customer_keys (customer_id);
`;

export function isSealed(value: unknown): value is SealedValue {
  return !!value && typeof value === 'object' && (value as SealedValue).sealed === 'AES-256-GCM';
}

export class PersonalDataVault {
  private readonly cache = new Map<string, Buffer | null>();

  constructor(private readonly sql: SqlClient) {}

  async init(): Promise<void> {
    await this.sql.applySchema(SCHEMA);
  }

  private async activeKey(customerId: string): Promise<{ keyId: string; key: Buffer }> {
    const rows = await this.sql.query<{ key_id: string; key: string }>(
      'SELECT key_id, key FROM customer_keys WHERE customer_id = $1 AND key IS NOT NULL ORDER BY created_at DESC LIMIT 1',
      [customerId],
    );
    if (rows.rows[0]) return { keyId: rows.rows[0].key_id, key: Buffer.from(rows.rows[0].key, 'base64') };
    const keyId = randomUUID();
    const key = randomBytes(32);
    await this.sql.query('INSERT INTO customer_keys (key_id, customer_id, key) VALUES ($1, $2, $3)', [keyId, customerId, key.toString('base64')]);
    return { keyId, key };
  }

  async seal(customerId: string, value: unknown): Promise<SealedValue> {
    const { keyId, key } = await this.activeKey(customerId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(keyId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { sealed: 'AES-256-GCM', keyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  }

  /** The sealed value, or undefined when its key was erased. */
  async open(sealed: SealedValue): Promise<unknown | undefined> {
    let key = this.cache.get(sealed.keyId);
    if (key === undefined) {
      const rows = await this.sql.query<{ key: string | null }>('SELECT key FROM customer_keys WHERE key_id = $1', [sealed.keyId]);
      key = rows.rows[0]?.key ? Buffer.from(rows.rows[0].key, 'base64') : null;
      if (key) this.cache.set(sealed.keyId, key);
    }
    if (!key) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(sealed.keyId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8'));
  }

  /** Destroys every key of the customer; answers how many were destroyed. */
  async erase(customerId: string): Promise<{ keysDestroyed: number; erasedAt: string }> {
    const erasedAt = new Date().toISOString();
    const rows = await this.sql.query<{ key_id: string }>(
      'UPDATE customer_keys SET key = NULL, erased_at = $2 WHERE customer_id = $1 AND key IS NOT NULL RETURNING key_id',
      [customerId, erasedAt],
    );
    for (const { key_id } of rows.rows) this.cache.delete(key_id);
    return { keysDestroyed: rows.rows.length, erasedAt };
  }
}
