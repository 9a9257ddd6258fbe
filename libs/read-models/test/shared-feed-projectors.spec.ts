/**
 * The embedded projectors as one worker (SharedFeedProjectors), on PGlite and PostgreSQL: each page read once and
 * applied to every projection in one transaction; a poison event dead-lettered by the projection that cannot fold
 * it while the others apply it; a projection whose table is broken failing alone, named, and catching up once
 * repaired; checkpoints moved by someone else (a second process, a rebuild's swap) never making anything count twice.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@aftersales/event-store';
import type { SqlClient } from '@aftersales/sql-client';
import type { Storage } from '@aftersales/storage';
import { forEachStore } from '../../../test/harness/store-matrix';
import type { DeadLetter, ProjectedEvent, Projection } from '../src';
import { FEED_SOURCE, PoisonEventError, ProjectionRunner, SharedFeedProjectors, rebuildProjection, tableOnlyDeadLetters } from '../src';

/** Counts the events it is given per stream, in its own table; an event of type Poison cannot be folded by `refuses`. */
class Counting implements Projection {
  readonly tables: string[];
  constructor(
    readonly name: 'escalation' | 'satisfaction' | 'loyalty',
    private readonly prefix = '',
    private readonly refuses = false,
  ) {
    this.tables = [`test_${name}`];
  }
  schema = (suffix: string) => `CREATE TABLE IF NOT EXISTS test_${this.name}${suffix} (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`;
  wants = (streamId: string) => streamId.startsWith(this.prefix);
  async apply(tx: { query: SqlClient['query'] }, events: ProjectedEvent[], suffix: string): Promise<void> {
    for (const e of events) {
      if (this.refuses && e.type === 'Poison') throw new PoisonEventError(e.eventId, 'cannot fold this one');
      await tx.query(
        `INSERT INTO test_${this.name}${suffix} (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = test_${this.name}${suffix}.n + 1`,
        [e.streamId],
      );
    }
  }
}

const stored = (n: number, type = 'Counted') =>
  Array.from({ length: n }, (_, i) => ({
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data: { i },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'system', id: 'test' }, correlationId: 'c', causationId: 'c' },
  }));

forEachStore('SharedFeedProjectors', (openStorage) => {
  let storage: Storage;
  let store: EventStore;
  let sql: SqlClient;
  let letters: DeadLetter[];
  let errors: Array<[string | undefined, string]>;
  const projections = () => [new Counting('escalation'), new Counting('satisfaction', 'case-', true), new Counting('loyalty')];
  const counts = async (name: string) =>
    Object.fromEntries((await sql.query<{ stream_id: string; n: number }>(`SELECT stream_id, n FROM test_${name}`)).rows.map((r) => [r.stream_id, r.n]));
  const checkpoints = async () =>
    Object.fromEntries(
      (
        await sql.query<{ projection: string; position: string }>(`SELECT projection, position FROM projection_checkpoints WHERE source = '${FEED_SOURCE}'`)
      ).rows.map((r) => [r.projection, r.position]),
    );

  async function projectors(batchSize = 3, given = projections()): Promise<SharedFeedProjectors> {
    const runners = given.map((p) => new ProjectionRunner(sql, p, { send: async (l) => void letters.push(l) }));
    for (const r of runners) await r.init();
    return new SharedFeedProjectors(store, sql, runners, { batchSize, onError: (error, projection) => errors.push([projection, error.message]) });
  }

  beforeEach(async () => {
    storage = await openStorage();
    store = storage.eventStore;
    sql = storage.readModels;
    letters = [];
    errors = [];
  });
  afterEach(async () => storage.close());

  it('given a feed longer than a page, when the projectors catch up, then each holds every event it wants once, at the head', async () => {
    const shared = await projectors();
    await store.append('case-1', stored(7), 'no_stream');
    await store.append('order-1', stored(4), 'no_stream');
    await store.append('case-1', stored(2), 6);
    expect(await shared.catchUp()).toBe(13);
    expect(await counts('escalation')).toEqual({ 'case-1': 9, 'order-1': 4 });
    expect(await counts('satisfaction')).toEqual({ 'case-1': 9 });
    expect(await counts('loyalty')).toEqual({ 'case-1': 9, 'order-1': 4 });
    const head = await store.headPosition();
    expect(await checkpoints()).toEqual({ escalation: head, satisfaction: head, loyalty: head });
    expect(await shared.catchUp()).toBe(0);
    expect([...(await shared.lags()).values()]).toEqual([0, 0, 0]);
  });

  it('given a poison event, when the projectors catch up, then the projection that cannot fold it dead-letters it and the others apply it', async () => {
    const shared = await projectors(10);
    await store.append('case-1', [...stored(2), ...stored(1, 'Poison'), ...stored(2)], 'no_stream');
    await shared.catchUp();
    expect(letters.map((l) => [l.projection, l.reason, l.error])).toEqual([['satisfaction', 'apply_failed', 'cannot fold this one']]);
    expect(await counts('satisfaction')).toEqual({ 'case-1': 4 });
    expect(await counts('escalation')).toEqual({ 'case-1': 5 });
    const head = await store.headPosition();
    expect(await checkpoints()).toEqual({ escalation: head, satisfaction: head, loyalty: head });
    expect(errors).toEqual([]);
  });

  it('given one view table is gone, when the projectors pass, then that projection alone fails, named, and catches up once repaired', async () => {
    const shared = await projectors();
    const [, satisfaction] = shared.runners;
    await store.append('case-1', stored(5), 'no_stream');
    await shared.catchUp();
    await sql.query('ALTER TABLE test_satisfaction RENAME TO test_satisfaction_away');
    await store.append('case-1', stored(4), 4);
    await expect(shared.catchUp()).rejects.toThrow(/test_satisfaction/);
    expect(errors).toEqual([['satisfaction', expect.stringMatching(/test_satisfaction/)]]);
    const head = await store.headPosition();
    expect((await checkpoints()).escalation).toBe(head);
    expect(await counts('escalation')).toEqual({ 'case-1': 9 });
    expect((await shared.lags()).get(satisfaction)).toBe(4);

    await sql.query('ALTER TABLE test_satisfaction_away RENAME TO test_satisfaction');
    await store.append('case-1', stored(1), 8);
    await shared.catchUp();
    expect(await counts('satisfaction')).toEqual({ 'case-1': 10 });
    expect(await counts('escalation')).toEqual({ 'case-1': 10 });
    expect(await checkpoints()).toEqual({
      escalation: await store.headPosition(),
      satisfaction: await store.headPosition(),
      loyalty: await store.headPosition(),
    });
  });

  it('given two processes projecting the same views, when one moved the checkpoints past the other, then the other reads on from there and nothing counts twice', async () => {
    const reads: Array<string | undefined> = [];
    const watched = { ...store, readAll: (o: Parameters<EventStore['readAll']>[0]) => (reads.push(o.after), store.readAll(o)) };
    const runners = projections().map((p) => new ProjectionRunner(sql, p, tableOnlyDeadLetters));
    const second = new SharedFeedProjectors(watched, sql, runners, { batchSize: 2 });
    const first = await projectors(2);
    await store.append('case-1', stored(2), 'no_stream');
    await second.catchUp();
    const secondLeftAt = await store.headPosition();
    await store.append('case-2', stored(5), 'no_stream');
    await first.catchUp();
    const firstLeftAt = await store.headPosition();
    await store.append('case-1', stored(2), 1);
    reads.length = 0;
    await second.catchUp();
    // One page from where it had left off, refused at commit (the checkpoint had moved), then on from the first's.
    expect(reads).toEqual([secondLeftAt, firstLeftAt, await store.headPosition()]);
    expect(await counts('escalation')).toEqual({ 'case-1': 4, 'case-2': 5 });
    expect(await counts('satisfaction')).toEqual({ 'case-1': 4, 'case-2': 5 });
    const head = await store.headPosition();
    expect(await checkpoints()).toEqual({ escalation: head, satisfaction: head, loyalty: head });
    expect(errors).toEqual([]);
  });

  it('given a rebuild swapped a view in under the running projectors, when they go on, then nothing is lost or counted twice', async () => {
    const shared = await projectors(2);
    await store.append('case-1', stored(4), 'no_stream');
    await shared.catchUp();
    await rebuildProjection(sql, store, new Counting('escalation'), tableOnlyDeadLetters);
    await store.append('case-1', stored(3), 3);
    await store.append('case-2', stored(2), 'no_stream');
    await shared.catchUp();
    expect(await counts('escalation')).toEqual({ 'case-1': 7, 'case-2': 2 });
    expect(await counts('loyalty')).toEqual({ 'case-1': 7, 'case-2': 2 });
  });

  it('given a view reset under the running projectors (table, revisions and checkpoint emptied), when they go on, then it is filled again from the start', async () => {
    const shared = await projectors(2);
    await store.append('case-1', stored(4), 'no_stream');
    await shared.catchUp();
    await sql.query('DELETE FROM test_escalation');
    await sql.query(`DELETE FROM projection_stream_revisions WHERE projection = 'escalation'`);
    await sql.query(`DELETE FROM projection_checkpoints WHERE projection = 'escalation'`);
    await store.append('case-1', stored(1), 3);
    await shared.catchUp();
    expect(await counts('escalation')).toEqual({ 'case-1': 5 });
    expect(await counts('loyalty')).toEqual({ 'case-1': 5 });
  });
});
