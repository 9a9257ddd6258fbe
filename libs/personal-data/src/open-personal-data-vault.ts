/**
 * Puts the vault where erasure can be made final. Embedded default (PGlite read models): keys in a file under
 * DATA_DIR, since PGlite cannot drop a value from its WAL on demand; keys an earlier release kept in the PGlite table
 * are moved into the file once. PostgreSQL: keys in a table, made final by `finalizeErasureOnPostgres`.
 */
import { join } from 'node:path';
import type { SqlClient } from '@aftersales/sql-client';
import { FileCustomerKeyStore } from './file-customer-key-store';
import { loadFingerprintSecret } from './fingerprint-secret';
import { PersonalDataVault } from './personal-data-vault';
import { CUSTOMER_KEYS_TABLE, SqlCustomerKeyStore } from './sql-customer-key-store';

export interface VaultPlacement {
  readModelKind: 'pglite' | 'postgres';
  sql: SqlClient;
  dataDir: string;
  /** FINGERPRINT_SECRET when given. */
  fingerprintSecret?: string;
}

export const keyFileIn = (dataDir: string) => join(dataDir, 'keys', 'customer-keys.jsonl');
export const fingerprintSecretFileIn = (dataDir: string) => join(dataDir, 'keys', 'fingerprint-secret');

export interface OpenedVault {
  vault: PersonalDataVault;
  /** Things worth a line in the log (a migration of keys), empty on an ordinary start. */
  notes: string[];
}

export async function openPersonalDataVault(placement: VaultPlacement): Promise<OpenedVault> {
  const notes: string[] = [];
  if (placement.readModelKind === 'postgres') {
    const secret = await loadFingerprintSecret(placement.fingerprintSecret ? { given: placement.fingerprintSecret } : { sql: placement.sql });
    const vault = new PersonalDataVault(new SqlCustomerKeyStore(placement.sql), secret);
    await vault.init();
    return { vault, notes };
  }
  const keys = new FileCustomerKeyStore(keyFileIn(placement.dataDir));
  await keys.init();
  const moved = await adoptKeysFromTable(keys, placement.sql);
  if (moved !== undefined) {
    notes.push(
      `moved ${moved} customer key(s) from the database table ${CUSTOMER_KEYS_TABLE} to ${keys.file} and dropped the table; ` +
        'keys erased before this release may remain in the database WAL until PGlite reuses its segments (see libs/personal-data/README.md)',
    );
  }
  const secret = await loadFingerprintSecret(
    placement.fingerprintSecret ? { given: placement.fingerprintSecret } : { file: fingerprintSecretFileIn(placement.dataDir) },
  );
  return { vault: new PersonalDataVault(keys, secret), notes };
}

/** Moves an earlier release's key table into the key file; undefined when there is no such table. */
async function adoptKeysFromTable(keys: FileCustomerKeyStore, sql: SqlClient): Promise<number | undefined> {
  const exists = await sql.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [CUSTOMER_KEYS_TABLE]);
  if (!exists.rows[0]?.found) return undefined;
  const rows = await sql.query<{ key_id: string; customer_id: string; key: string | null; created_at: Date | string; erased_at: Date | string | null }>(
    `SELECT key_id, customer_id, key, created_at, erased_at FROM ${CUSTOMER_KEYS_TABLE} ORDER BY created_at`,
  );
  const moved = await keys.adopt(
    rows.rows.map((r) => ({
      keyId: r.key_id,
      customerId: r.customer_id,
      createdAt: new Date(r.created_at).toISOString(),
      key: r.key ? Buffer.from(r.key, 'base64') : undefined,
      erasedAt: r.erased_at ? new Date(r.erased_at).toISOString() : undefined,
    })),
  );
  await sql.query(`DROP TABLE ${CUSTOMER_KEYS_TABLE}`);
  await sql.query('CHECKPOINT');
  return moved;
}
