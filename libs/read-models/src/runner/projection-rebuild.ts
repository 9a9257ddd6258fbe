/**
 * Rebuilds one view from the event store into fresh tables while the live tables keep answering queries, then
 * swaps them in one transaction. The swap holds the projection's lock (every runner transaction takes it too),
 * carries the rebuild's per-stream revisions and feed checkpoint over to the live projection, and a final
 * catch-up applies whatever arrived meanwhile; the revision guard keeps a live Kafka consumer and the catch-up
 * from applying anything twice. Each catch-up stops at the store's head as it was when it began, so a rebuild ends
 * while writes go on; later appends are the live projector's. The feed is read a page ahead of the one applied
 * (catchUpTogether).
 */
import type { EventStore } from '@aftersales/event-store';
import type { SqlClient, SqlQueryable } from '@aftersales/sql-client';
import type { Projection } from '../projection';
import { shapeVersionOf } from '../projection';
import type { DeadLetterSink } from './projection-runner';
import { ProjectionRunner } from './projection-runner';
import { catchUpTogether } from './shared-feed';
import { FEED_SOURCE } from './store-feed-projector';

export const REBUILD_SUFFIX = '_rebuild';
/** Events per page and transaction: on the embedded default one transaction holds the only connection the commands also use. */
const REBUILD_PAGE = 1000;

/**
 * The store's feed as it stood at `head`: a catch-up over it ends at `head` instead of chasing appends that keep
 * arriving while writes go on (the live projector applies those). Positions that are not plain numbers are not bounded.
 */
function feedUpTo(store: EventStore, head: string | undefined): EventStore {
  if (!head || !/^\d+$/.test(head)) return store;
  const last = BigInt(head);
  const readAll: EventStore['readAll'] = async (options) =>
    (await store.readAll(options)).filter((e) => !/^\d+$/.test(e.position) || BigInt(e.position) <= last);
  return new Proxy(store, {
    get: (target, property) => {
      if (property === 'readAll') return readAll;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface RebuildProgress {
  projection: string;
  state: 'running' | 'swapping' | 'done' | 'failed';
  /** Why it runs when an admin did not ask for it, e.g. `shape version 1 → 2` at start-up. */
  reason?: string;
  processed: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

async function renameIndexes(tx: SqlQueryable, from: string, to: string): Promise<void> {
  const indexes = await tx.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE tablename = $1', [to]);
  for (const { indexname } of indexes.rows) {
    if (indexname.startsWith(from)) await tx.query(`ALTER INDEX ${indexname} RENAME TO ${to}${indexname.slice(from.length)}`);
  }
}

export async function rebuildProjection(
  sql: SqlClient,
  store: EventStore,
  projection: Projection,
  deadLetters: DeadLetterSink,
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<RebuildProgress> {
  const progress: RebuildProgress = { projection: projection.name, state: 'running', processed: 0, startedAt: new Date().toISOString() };
  const rebuildKey = `${projection.name}${REBUILD_SUFFIX}`;
  try {
    for (const table of projection.tables) await sql.query(`DROP TABLE IF EXISTS ${table}${REBUILD_SUFFIX}`);
    const fresh = new ProjectionRunner(sql, projection, deadLetters, REBUILD_SUFFIX, (events) => {
      progress.processed += events.length;
      onProgress(progress);
    });
    await fresh.init();
    await sql.query('DELETE FROM projection_checkpoints WHERE projection = $1', [rebuildKey]);
    await sql.query('DELETE FROM projection_stream_revisions WHERE projection = $1', [rebuildKey]);
    await catchUpTogether(feedUpTo(store, await store.headPosition()), [fresh], REBUILD_PAGE);

    progress.state = 'swapping';
    onProgress(progress);
    await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${projection.name}`]);
      for (const table of projection.tables) {
        await tx.query(`DROP TABLE IF EXISTS ${table}`);
        await tx.query(`ALTER TABLE ${table}${REBUILD_SUFFIX} RENAME TO ${table}`);
        await renameIndexes(tx, `${table}${REBUILD_SUFFIX}`, table);
      }
      await tx.query('DELETE FROM projection_stream_revisions WHERE projection = $1', [projection.name]);
      await tx.query('UPDATE projection_stream_revisions SET projection = $1 WHERE projection = $2', [projection.name, rebuildKey]);
      await tx.query(`DELETE FROM projection_checkpoints WHERE projection = $1 AND source = '${FEED_SOURCE}'`, [projection.name]);
      await tx.query(`UPDATE projection_checkpoints SET projection = $1 WHERE projection = $2 AND source = '${FEED_SOURCE}'`, [projection.name, rebuildKey]);
      await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [rebuildKey]);
      // The live tables now have the projection's current shape; the other sources' positions (Kafka partitions) stay valid.
      await tx.query('UPDATE projection_checkpoints SET shape_version = $2 WHERE projection = $1', [projection.name, shapeVersionOf(projection)]);
    });
    // Whatever was appended between the rebuild's last page and the swap.
    const live = new ProjectionRunner(sql, projection, deadLetters);
    await catchUpTogether(feedUpTo(store, await store.headPosition()), [live], REBUILD_PAGE);
    progress.state = 'done';
  } catch (error) {
    progress.state = 'failed';
    progress.error = (error as Error).message;
  }
  progress.finishedAt = new Date().toISOString();
  onProgress(progress);
  return progress;
}
