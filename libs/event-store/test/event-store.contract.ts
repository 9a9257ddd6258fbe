/**
 * The contract every event store adapter passes. `open` gives a store; streams get unique names per test so
 * the suite also runs against a shared, long-lived server (EventStoreDB).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '../src';
import { GENESIS_HASH, WrongExpectedRevisionError, chainHash, chainPayload, verifyChain } from '../src';

function event(type: string, n: number, caseId: string): EventToAppend {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data: { n, text: `event ${n}`, nested: { list: [1, 2, 3], unicode: '退货 ✓' } },
    metadata: {
      caseId,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      actor: { type: 'agent', id: 'agent-1' },
      correlationId: `corr-${n}`,
      causationId: `cause-${n}`,
    },
  };
}

async function readAllFor(store: EventStore, streams: string[], pageSize = 2) {
  const seen = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    seen.push(...page.filter((e) => streams.includes(e.streamId)));
    after = page[page.length - 1].position;
  }
  return seen;
}

export function eventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let stream: string;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(() => {
      stream = `case-${randomUUID()}`;
    });

    it('appends to a new stream with no_stream and reads it back with every field', async () => {
      const first = event('CaseOpened', 1, stream);
      const result = await store.append(stream, [first, event('CaseAcknowledged', 2, stream)], 'no_stream');
      expect(result.revision).toBe(1);
      const read = await store.readStream(stream);
      expect(read).toHaveLength(2);
      expect(read[0]).toMatchObject({
        streamId: stream,
        revision: 0,
        eventId: first.eventId,
        type: 'CaseOpened',
        schemaVersion: 1,
        data: first.data,
        metadata: first.metadata,
      });
      expect(read[1].revision).toBe(1);
      expect(Number.isNaN(Date.parse(read[0].recordedAt))).toBe(false);
      expect(read[0].position).not.toEqual(read[1].position);
    });

    it('reads an unknown stream as empty', async () => {
      expect(await store.readStream(`case-${randomUUID()}`)).toEqual([]);
    });

    it('appends at the expected revision', async () => {
      await store.append(stream, [event('A', 1, stream)], 'no_stream');
      const result = await store.append(stream, [event('B', 2, stream), event('C', 3, stream)], 0);
      expect(result.revision).toBe(2);
      expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('refuses a stale expected revision and writes nothing', async () => {
      await store.append(stream, [event('A', 1, stream), event('B', 2, stream)], 'no_stream');
      await expect(store.append(stream, [event('X', 3, stream)], 0)).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_REVISION',
        actual: 1,
      });
      await expect(store.append(stream, [event('X', 3, stream)], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('refuses an expected revision on a stream that does not exist', async () => {
      await expect(store.append(stream, [event('A', 1, stream)], 0)).rejects.toMatchObject({ actual: -1 });
      expect(await store.readStream(stream)).toEqual([]);
    });

    it('lets exactly one of two racing appends at the same revision win', async () => {
      await store.append(stream, [event('A', 1, stream)], 'no_stream');
      const results = await Promise.allSettled([
        store.append(stream, [event('B', 2, stream)], 0),
        store.append(stream, [event('C', 3, stream)], 0),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('appends with any, whatever the revision', async () => {
      await store.append(stream, [event('A', 1, stream)], 'any');
      await store.append(stream, [event('B', 2, stream)], 'any');
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('reads a stream from a revision, and at most maxCount events', async () => {
      await store.append(stream, [1, 2, 3, 4].map((n) => event(`E${n}`, n, stream)), 'no_stream');
      expect((await store.readStream(stream, { fromRevision: 2 })).map((e) => e.type)).toEqual(['E3', 'E4']);
      expect((await store.readStream(stream, { maxCount: 2 })).map((e) => e.type)).toEqual(['E1', 'E2']);
    });

    it('serves every stream in one global feed, in commit order, resumable from any position', async () => {
      const other = `case-${randomUUID()}`;
      await store.append(stream, [event('A1', 1, stream)], 'no_stream');
      await store.append(other, [event('B1', 2, other), event('B2', 3, other)], 'no_stream');
      await store.append(stream, [event('A2', 4, stream)], 0);
      const feed = await readAllFor(store, [stream, other]);
      expect(feed.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      const resumed = await readAllFor(store, [stream, other]);
      expect(resumed).toEqual(feed);
      const afterSecond = await store.readAll({ after: feed[1].position, maxCount: 1000 });
      expect(afterSecond.filter((e) => [stream, other].includes(e.streamId)).map((e) => e.type)).toEqual(['B2', 'A2']);
    });

    it('keeps the global feed ordered under concurrent appends to many streams', async () => {
      const streams = Array.from({ length: 8 }, () => `case-${randomUUID()}`);
      await Promise.all(
        streams.map(async (s, i) => {
          await store.append(s, [event('First', i, s)], 'no_stream');
          await store.append(s, [event('Second', i, s)], 0);
        }),
      );
      const feed = await readAllFor(store, streams, 5);
      expect(feed).toHaveLength(16);
      for (const s of streams) {
        expect(feed.filter((e) => e.streamId === s).map((e) => e.type)).toEqual(['First', 'Second']);
      }
      expect(new Set(feed.map((e) => e.position)).size).toBe(16);
    });

    it('writes the hash chain at append time: genesis, links, and hashes anyone can recompute', async () => {
      const first = [event('A', 1, stream), event('B', 2, stream)];
      await store.append(stream, first, 'no_stream');
      await store.append(stream, [event('C', 3, stream)], 1);
      const read = await store.readStream(stream);
      expect(read.map((e) => e.prevHash)).toEqual([GENESIS_HASH, read[0].hash, read[1].hash]);
      expect(read[0].hash).toBe(chainHash(GENESIS_HASH, chainPayload(stream, first[0])));
      expect(verifyChain(stream, read)).toEqual({ streamId: stream, events: 3, valid: true, headHash: read[2].hash });
      const fromFeed = (await readAllFor(store, [stream], 100)).map((e) => e.hash);
      expect(fromFeed).toEqual(read.map((e) => e.hash));
    });

    it('names the head of the global feed', async () => {
      await store.append(stream, [event('A', 1, stream)], 'no_stream');
      const result = await store.append(stream, [event('B', 2, stream)], 0);
      expect(await store.headPosition()).toBe(result.position);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
