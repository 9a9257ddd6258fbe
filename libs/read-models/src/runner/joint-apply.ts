/**
 * Several projections' batches from one page of the store's feed, applied in one transaction: one statement
 * taking every projection's advisory lock (in name order), one reading their stream revisions, each projection's
 * own view change, and one writing every revision and moving every checkpoint from where its writer last saw it
 * (compare and set). All commit or none does; a caller that must keep one projection's failure apart from the
 * others falls back to each runner's own transaction (ProjectionRunner.process).
 */
import type { SqlClient } from '@aftersales/sql-client';
import { shapeVersionOf } from '../projection';
import type { ProjectedEvent } from '../projected-event';
import type { CheckpointAdvance } from './projection-bookkeeping';
import { advanceCheckpoints, streamRevisionsOfMany } from './projection-bookkeeping';
import type { CheckpointGuard, ProjectionRunner, SourceItem } from './projection-runner';
import { lockKeyOf } from './projection-runner';

/** One runner's part of a page: its items (all decoded events, in feed order) and where its checkpoint is. */
export interface JointBatch {
  runner: ProjectionRunner;
  items: SourceItem[];
  guard: CheckpointGuard;
}

/** Applies every batch in one transaction; answers the events applied per batch. Moves each guard on commit. */
export async function applyJointly(sql: SqlClient, source: string, batches: JointBatch[]): Promise<number[]> {
  if (batches.length === 0) return [];
  if (batches.some((b) => b.items.length === 0 || b.items.some((i) => !i.event))) throw new Error('a joint batch holds only decoded events');
  const applied: ProjectedEvent[][] = [];
  await sql.transaction(async (tx) => {
    const locks = [...new Set(batches.map((b) => lockKeyOf(b.runner.projection.name)))].sort();
    await tx.query('SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM unnest($1::text[]) AS k', [locks]);
    const streams = [...new Set(batches.flatMap((b) => b.items.map((i) => i.event!.streamId)))];
    const known = await streamRevisionsOfMany(
      tx,
      batches.map((b) => b.runner.key),
      streams,
    );
    const advances: CheckpointAdvance[] = [];
    for (const { runner, items, guard } of batches) {
      const revisions = known.get(runner.key) ?? new Map<string, number>();
      const before = new Map(revisions);
      const fresh = runner.freshEvents(items, revisions);
      if (fresh.length) await runner.projection.apply(tx, fresh, runner.suffix);
      applied.push(fresh);
      advances.push({
        projection: runner.key,
        expected: guard.expected,
        position: items[items.length - 1].position,
        shapeVersion: shapeVersionOf(runner.projection),
        revisions: new Map([...revisions].filter(([stream, revision]) => before.get(stream) !== revision)),
      });
    }
    await advanceCheckpoints(tx, source, advances);
  });
  batches.forEach((b, i) => {
    b.guard.expected = b.items[b.items.length - 1].position;
    b.runner.committed(applied[i]);
  });
  return applied.map((a) => a.length);
}
