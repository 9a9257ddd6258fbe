/**
 * The maintenance that makes erasures final on a PostgreSQL server (docs/erasure.md): VACUUM FULL of the key
 * table drops the old row versions that still hold destroyed keys, then WAL is switched and checkpointed once per
 * segment present, so every segment written before is removed. Needs a superuser (or pg_checkpoint and
 * pg_monitor) and `wal_recycle = off`: a recycled segment is renamed, not wiped. Archives, replicas and backups
 * are outside the server's data directory and are not touched (see the docs).
 */
import type { SqlClient } from '@aftersales/sql-client';
import { CUSTOMER_KEYS_TABLE } from './sql-customer-key-store';

export interface ErasureMaintenanceReport {
  walSegmentsCycled: number;
  walRecycle: string;
  archiveMode: string;
  replicationSlots: number;
  /** Things that keep old WAL (and so destroyed keys) beyond this server's data directory or beyond this run. */
  warnings: string[];
}

export async function finalizeErasureOnPostgres(sql: SqlClient): Promise<ErasureMaintenanceReport> {
  await sql.query(`VACUUM FULL ${CUSTOMER_KEYS_TABLE}`);
  const setting = async (name: string) =>
    (await sql.query<{ setting: string }>('SELECT setting FROM pg_settings WHERE name = $1', [name])).rows[0]?.setting ?? 'unknown';
  const walRecycle = await setting('wal_recycle');
  const archiveMode = await setting('archive_mode');
  const walKeepSize = await setting('wal_keep_size');
  const slots = Number((await sql.query<{ n: string | number }>('SELECT count(*) AS n FROM pg_replication_slots')).rows[0].n);
  const segments = Number((await sql.query<{ n: string | number }>("SELECT count(*) AS n FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'")).rows[0].n);
  for (let i = 0; i <= segments; i++) {
    await sql.query('SELECT pg_switch_wal()');
    await sql.query('CHECKPOINT');
  }
  const warnings: string[] = [];
  if (walRecycle !== 'off') warnings.push('wal_recycle is on: recycled WAL segments keep their old bytes until overwritten; set wal_recycle = off');
  if (archiveMode !== 'off') warnings.push('archive_mode is on: archived WAL keeps destroyed keys until the archive is pruned');
  if (walKeepSize !== '0') warnings.push(`wal_keep_size is ${walKeepSize} MB: that much old WAL is kept on purpose; set it to 0 or cycle past it`);
  if (slots > 0) warnings.push(`${slots} replication slot(s): WAL they still need is kept, and replicas hold their own copies`);
  return { walSegmentsCycled: segments + 1, walRecycle, archiveMode, replicationSlots: slots, warnings };
}
