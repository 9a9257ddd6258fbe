/**
 * How far each relay's checkpoint (relay_checkpoints, kept by EventRelay) is behind the store's head, for the
 * relay lag gauge. A database no relay has ever run on has no such table: no relays, not an error. Any other
 * failure is thrown for the caller to report.
 */
import type { SqlQueryable } from '@aftersales/sql-client';

export interface RelayLag {
  relay: string;
  /** Events after the relay's checkpoint; undefined when a position is not a number (EventStoreDB's commit:prepare). */
  lag: number | undefined;
}

export async function relayLags(sql: SqlQueryable, head: string | undefined): Promise<RelayLag[]> {
  const table = await sql.query<{ present: boolean }>(`SELECT to_regclass('relay_checkpoints') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return [];
  const rows = await sql.query<{ relay: string; position: string }>('SELECT relay, position FROM relay_checkpoints ORDER BY relay');
  const numeric = (p: string | undefined): p is string => p !== undefined && /^\d+$/.test(p);
  return rows.rows.map(({ relay, position }) => ({
    relay,
    lag: numeric(head) && numeric(position) ? Number(BigInt(head) - BigInt(position)) : undefined,
  }));
}
