import { randomUUID } from 'node:crypto';
import { PgliteSqlClient } from '@aftersales/sql-client';
import type { SqlClient } from '@aftersales/sql-client';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import type { DeadLetter, ProjectedEvent, Projection } from '../src';
import { PoisonEventError, ProjectionRunner } from '../src';

/** A projection that counts events per stream, and fails on demand. */
class CountingProjection implements Projection {
  readonly name = 'escalation' as const;
  readonly tables = ['test_counts'];
  failWith?: Error;
  schema = (suffix: string) => `CREATE TABLE IF NOT EXISTS test_counts${suffix} (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`;
  wants = () => true;
  async apply(tx: { query: SqlClient['query'] }, events: ProjectedEvent[], suffix: string): Promise<void> {
    for (const e of events) {
      if (e.type === 'Poison') throw new PoisonEventError(e.eventId, 'cannot fold this one');
      if (this.failWith) throw this.failWith;
      await tx.query(`INSERT INTO test_counts${suffix} (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = test_counts${suffix}.n + 1`, [
        e.streamId,
      ]);
    }
  }
}

const event = (streamId: string, revision: number, type = 'Counted'): ProjectedEvent => ({
  eventId: randomUUID(),
  type,
  streamId,
  revision,
  occurredAt: '2026-01-01T00:00:00.000Z',
  recordedAt: '2026-01-01T00:00:00.000Z',
  actor: { type: 'system', id: 'test' },
  data: {},
});

describe('ProjectionRunner', () => {
  let sql: SqlClient;
  let projection: CountingProjection;
  let letters: DeadLetter[];
  let runner: ProjectionRunner;
  const counts = async () =>
    Object.fromEntries((await sql.query<{ stream_id: string; n: number }>('SELECT stream_id, n FROM test_counts')).rows.map((r) => [r.stream_id, r.n]));

  beforeEach(async () => {
    sql = await PgliteSqlClient.open(freshPgliteDir());
    projection = new CountingProjection();
    letters = [];
    runner = new ProjectionRunner(sql, projection, { send: async (l) => void letters.push(l) });
    await runner.init();
  });
  afterEach(async () => sql.close());

  it('applies a batch once: redelivered revisions are skipped, the checkpoint moves with the view', async () => {
    const batch = [event('s-1', 0), event('s-1', 1), event('s-2', 0)];
    expect(
      await runner.process(
        'feed',
        batch.map((e, i) => ({ position: String(i + 1), event: e })),
      ),
    ).toEqual({ applied: 3, skipped: 0, deadLettered: 0 });
    expect(
      await runner.process(
        'kafka:t:0',
        batch.map((e, i) => ({ position: String(i), event: e })),
      ),
    ).toEqual({ applied: 0, skipped: 3, deadLettered: 0 });
    expect(await counts()).toEqual({ 's-1': 2, 's-2': 1 });
    expect(Object.fromEntries(await runner.checkpoints())).toEqual({ feed: '3', 'kafka:t:0': '2' });
  });

  it('dead-letters a poison event alone and goes on with the others', async () => {
    const outcome = await runner.process('feed', [
      { position: '1', event: event('s-1', 0) },
      { position: '2', event: event('s-2', 0, 'Poison') },
      { position: '3', event: event('s-1', 1) },
      { position: '4', poison: { error: 'not JSON', payload: '{' } },
    ]);
    expect(outcome).toEqual({ applied: 2, skipped: 0, deadLettered: 2 });
    expect(letters.map((l) => [l.position, l.error])).toEqual([
      ['2', 'cannot fold this one'],
      ['4', 'not JSON'],
    ]);
    expect(await counts()).toEqual({ 's-1': 2 });
    expect((await runner.checkpoints()).get('feed')).toBe('4');
  });

  it('lets an infrastructure failure propagate without dead-lettering or moving the checkpoint', async () => {
    projection.failWith = new Error('connection terminated unexpectedly');
    await expect(runner.process('feed', [{ position: '1', event: event('s-1', 0) }])).rejects.toThrow('connection terminated');
    expect(letters).toEqual([]);
    expect((await runner.checkpoints()).get('feed')).toBeUndefined();
    projection.failWith = undefined;
    expect(await runner.process('feed', [{ position: '1', event: event('s-1', 0) }])).toEqual({ applied: 1, skipped: 0, deadLettered: 0 });
  });
});
