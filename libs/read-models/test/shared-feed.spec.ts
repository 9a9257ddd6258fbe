/**
 * One reader for several projections (catchUpTogether): each page read once, every projection brought to the
 * feed's end from its own checkpoint, nothing applied twice.
 */
import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '@aftersales/event-store';
import type { EventStore } from '@aftersales/event-store';
import { PgliteSqlClient } from '@aftersales/sql-client';
import type { SqlClient } from '@aftersales/sql-client';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import type { ProjectedEvent, Projection } from '../src';
import { FEED_SOURCE, ProjectionRunner, catchUpTogether, tableOnlyDeadLetters } from '../src';

/** Counts the events it is given per stream, in its own table. */
class Counting implements Projection {
  readonly tables: string[];
  constructor(
    readonly name: 'escalation' | 'satisfaction' | 'loyalty',
    private readonly prefix = '',
  ) {
    this.tables = [`test_${name}`];
  }
  schema = (suffix: string) => `CREATE TABLE IF NOT EXISTS test_${this.name}${suffix} (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`;
  wants = (streamId: string) => streamId.startsWith(this.prefix);
  async apply(tx: { query: SqlClient['query'] }, events: ProjectedEvent[], suffix: string): Promise<void> {
    for (const e of events) {
      await tx.query(
        `INSERT INTO test_${this.name}${suffix} (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = test_${this.name}${suffix}.n + 1`,
        [e.streamId],
      );
    }
  }
}

const stored = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    eventId: randomUUID(),
    type: 'Counted',
    schemaVersion: 1,
    data: { i },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'system', id: 'test' }, correlationId: 'c', causationId: 'c' },
  }));

describe('catchUpTogether', () => {
  let sql: SqlClient;
  let store: EventStore;
  let runners: ProjectionRunner[];
  const counts = async (name: string) =>
    Object.fromEntries((await sql.query<{ stream_id: string; n: number }>(`SELECT stream_id, n FROM test_${name}`)).rows.map((r) => [r.stream_id, r.n]));

  beforeEach(async () => {
    sql = await PgliteSqlClient.open(freshPgliteDir());
    store = await SqlEventStore.open('pglite', sql);
    runners = [new Counting('escalation'), new Counting('satisfaction', 'case-'), new Counting('loyalty')].map(
      (p) => new ProjectionRunner(sql, p, tableOnlyDeadLetters),
    );
    for (const r of runners) await r.init();
  });
  afterEach(async () => sql.close());

  it('given a feed longer than a page, when three projections catch up together, then each holds every event it wants once', async () => {
    await store.append('case-1', stored(7), 'no_stream');
    await store.append('order-1', stored(4), 'no_stream');
    await store.append('case-1', stored(2), 6);
    expect(await catchUpTogether(store, runners, 3)).toBe(13);
    expect(await counts('escalation')).toEqual({ 'case-1': 9, 'order-1': 4 });
    expect(await counts('satisfaction')).toEqual({ 'case-1': 9 });
    expect(await counts('loyalty')).toEqual({ 'case-1': 9, 'order-1': 4 });
    const head = await store.headPosition();
    for (const r of runners) expect((await r.checkpoints()).get(FEED_SOURCE)).toBe(head);
  });

  it('given projections at different checkpoints, when they catch up together, then each goes on from its own', async () => {
    await store.append('case-1', stored(5), 'no_stream');
    await catchUpTogether(store, [runners[0]], 2);
    await store.append('case-2', stored(3), 'no_stream');
    await catchUpTogether(store, runners, 2);
    expect(await counts('escalation')).toEqual({ 'case-1': 5, 'case-2': 3 });
    expect(await counts('loyalty')).toEqual({ 'case-1': 5, 'case-2': 3 });
    expect(await catchUpTogether(store, runners, 2)).toBe(0);
  });
});
