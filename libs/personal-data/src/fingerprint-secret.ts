/**
 * The server secret that keys request fingerprints (HMAC-SHA256), so nothing stored is an unkeyed hash. Given by
 * FINGERPRINT_SECRET; otherwise generated once and kept where the keys are: a 0600 file in DATA_DIR on the embedded
 * default, a row of `server_secrets` on PostgreSQL (shared by every process of the deployment).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { migrate } from '@aftersales/sql-client';
import type { SqlClient } from '@aftersales/sql-client';

export const MIN_SECRET_BYTES = 32;

export type FingerprintSecretSource = { given: string } | { file: string } | { sql: SqlClient };

export async function loadFingerprintSecret(source: FingerprintSecretSource): Promise<Buffer> {
  if ('given' in source) return Buffer.from(source.given, 'utf8');
  if ('file' in source) return secretInFile(source.file);
  return secretInDatabase(source.sql);
}

async function secretInFile(file: string): Promise<Buffer> {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${randomBytes(MIN_SECRET_BYTES).toString('base64')}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < MIN_SECRET_BYTES)
    throw new Error(`the fingerprint secret in ${file} is shorter than ${MIN_SECRET_BYTES} bytes; remove the file to generate a new one`);
  return secret;
}

async function secretInDatabase(sql: SqlClient): Promise<Buffer> {
  await migrate(sql, 'server-secrets', [
    { version: 1, name: 'server secrets', statements: ['CREATE TABLE IF NOT EXISTS server_secrets (name TEXT PRIMARY KEY, secret TEXT NOT NULL)'] },
  ]);
  await sql.query('INSERT INTO server_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    'request-fingerprint',
    randomBytes(MIN_SECRET_BYTES).toString('base64'),
  ]);
  const rows = await sql.query<{ secret: string }>('SELECT secret FROM server_secrets WHERE name = $1', ['request-fingerprint']);
  return Buffer.from(rows.rows[0].secret, 'base64');
}
