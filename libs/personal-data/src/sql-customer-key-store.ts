/**
 * Customers' keys in a SQL table (`customer_keys`), for PostgreSQL deployments where several processes share one
 * database. Nothing is cached, so an erasure done by one process holds at once in all. Erasure sets the key to
 * NULL; old row versions and WAL still hold it until the maintenance in docs/erasure.md ran
 * (`finalizeErasureOnPostgres`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ddlStatements, migrate } from '@aftersales/sql-client';
import type { SqlClient } from '@aftersales/sql-client';
import type { CustomerKey, CustomerKeyStore, ErasureOutcome } from './customer-key-store';

export const CUSTOMER_KEYS_TABLE = 'customer_keys';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${CUSTOMER_KEYS_TABLE} (
  key_id      TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  key         TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  erased_at   TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS customer_keys_customer ON ${CUSTOMER_KEYS_TABLE} (customer_id);
`;

export class SqlCustomerKeyStore implements CustomerKeyStore {
  readonly kind = 'sql' as const;
  constructor(private readonly sql: SqlClient) {}

  async init(): Promise<void> {
    await migrate(this.sql, 'customer-keys', [{ version: 1, name: 'customer keys', statements: ddlStatements(SCHEMA) }]);
  }

  async keyFor(customerId: string): Promise<CustomerKey> {
    const rows = await this.sql.query<{ key_id: string; key: string }>(
      `SELECT key_id, key FROM ${CUSTOMER_KEYS_TABLE} WHERE customer_id = $1 AND key IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
      [customerId],
    );
    if (rows.rows[0]) return { keyId: rows.rows[0].key_id, key: Buffer.from(rows.rows[0].key, 'base64') };
    const keyId = randomUUID();
    const key = randomBytes(32);
    await this.sql.query(`INSERT INTO ${CUSTOMER_KEYS_TABLE} (key_id, customer_id, key) VALUES ($1, $2, $3)`, [keyId, customerId, key.toString('base64')]);
    return { keyId, key };
  }

  async key(keyId: string): Promise<Buffer | undefined> {
    const rows = await this.sql.query<{ key: string | null }>(`SELECT key FROM ${CUSTOMER_KEYS_TABLE} WHERE key_id = $1`, [keyId]);
    const stored = rows.rows[0]?.key;
    return stored ? Buffer.from(stored, 'base64') : undefined;
  }

  async erase(customerId: string, erasedAt: string): Promise<ErasureOutcome> {
    const destroyed = await this.sql.query<{ key_id: string }>(
      `UPDATE ${CUSTOMER_KEYS_TABLE} SET key = NULL, erased_at = $2 WHERE customer_id = $1 AND key IS NOT NULL RETURNING key_id`,
      [customerId, erasedAt],
    );
    if (destroyed.rows.length) return { known: true, keysDestroyed: destroyed.rows.length, erasedAt };
    const seen = await this.sql.query<{ keys: string | number; first_erased: Date | string | null }>(
      `SELECT count(*) AS keys, min(erased_at) AS first_erased FROM ${CUSTOMER_KEYS_TABLE} WHERE customer_id = $1`,
      [customerId],
    );
    const row = seen.rows[0];
    const known = Number(row?.keys ?? 0) > 0;
    const first = row?.first_erased ? new Date(row.first_erased).toISOString() : undefined;
    return { known, keysDestroyed: 0, erasedAt: first };
  }

  /** The SQL client belongs to the storage, which closes it. */
  async close(): Promise<void> {}
}
