/**
 * The contract every event store adapter passes. `open` gives a store; every stream of a run starts with a random
 * prefix (handed to `open`, so an EventStoreDB store serves only that run's streams in its feed) and gets a unique
 * name per test, so the suite passes again and again against one shared, long-lived server.
 * Stores whose rows a test can reach behind the adapter's back (SQL) also hand over `tampering`: the suite then
 * proves that deleting the newest events or a whole stream, or changing recorded_at, is detected.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '../src';
import { AnchorChainVerifier, GENESIS_HASH, WrongExpectedRevisionError, chainHashV2, chainPayload, verifyAnchorChain, verifyChain } from '../src';

/** What an attacker with write access to the store's tables can do, for the tests that prove it is detected. */
export interface Tampering {
  deleteNewestEvent(streamId: string): Promise<void>;
  deleteStream(streamId: string): Promise<void>;
  setRecordedAt(streamId: string, revision: number, iso: string): Promise<void>;
  /** Writes a stream as the previous release did: hash scheme 1 (recorded_at not covered), no anchor. */
  writeSchemeOneStream(streamId: string, events: EventToAppend[]): Promise<void>;
}

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

export function eventStoreContract(
  name: string,
  open: (streamPrefix: string) => Promise<EventStore | { store: EventStore; tampering: Tampering }>,
  /** True when `open` hands over `tampering` (the SQL stores); the tampering tests are skipped otherwise. */
  tampers = false,
): void {
  describe(`EventStore contract: ${name}`, () => {
    const run = `run${randomUUID().slice(0, 8)}-`;
    const newStream = () => `${run}case-${randomUUID()}`;
    let store: EventStore;
    let tampering: Tampering | undefined;
    let stream: string;

    beforeAll(async () => {
      const opened = await open(run);
      if ('tampering' in opened) ({ store, tampering } = opened);
      else store = opened;
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(() => {
      stream = newStream();
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
      expect(await store.readStream(newStream())).toEqual([]);
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
      const results = await Promise.allSettled([store.append(stream, [event('B', 2, stream)], 0), store.append(stream, [event('C', 3, stream)], 0)]);
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
      await store.append(
        stream,
        [1, 2, 3, 4].map((n) => event(`E${n}`, n, stream)),
        'no_stream',
      );
      expect((await store.readStream(stream, { fromRevision: 2 })).map((e) => e.type)).toEqual(['E3', 'E4']);
      expect((await store.readStream(stream, { maxCount: 2 })).map((e) => e.type)).toEqual(['E1', 'E2']);
    });

    it('serves every stream in one global feed, in commit order, resumable from any position', async () => {
      const other = newStream();
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
      const streams = Array.from({ length: 8 }, () => newStream());
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

    it('given appends arriving together, when one of them is stale, then only that one is refused and every chain verifies', async () => {
      const streams = Array.from({ length: 12 }, () => newStream());
      await Promise.all(streams.map((s) => store.append(s, [event('First', 1, s)], 'no_stream')));
      const results = await Promise.allSettled(
        streams.flatMap((s, i) => [
          store.append(s, [event('Second', 2, s), event('Third', 3, s)], i === 5 ? 7 : 0),
          store.append(newStream(), [event('Other', i, s)], 'no_stream'),
        ]),
      );
      const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
      expect(refused).toEqual([10]);
      expect((results[10] as PromiseRejectedResult).reason).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', actual: 0 });
      for (const [i, s] of streams.entries()) {
        const read = await store.readStream(s);
        expect(read.map((e) => e.type)).toEqual(i === 5 ? ['First'] : ['First', 'Second', 'Third']);
        expect(verifyChain(s, read, await store.streamAnchors(s))).toMatchObject({ valid: true });
      }
      expect((await verifyAnchorChain(store, 10)).result()).toMatchObject({ valid: true });
    });

    it('writes the hash chain at append time: genesis, links, and hashes anyone can recompute', async () => {
      const first = [event('A', 1, stream), event('B', 2, stream)];
      await store.append(stream, first, 'no_stream');
      await store.append(stream, [event('C', 3, stream)], 1);
      const read = await store.readStream(stream);
      expect(read.map((e) => e.prevHash)).toEqual([GENESIS_HASH, read[0].hash, read[1].hash]);
      expect(read.map((e) => e.hashScheme)).toEqual([2, 2, 2]);
      expect(read[0].hash).toBe(chainHashV2(GENESIS_HASH, read[0].recordedAt, chainPayload(stream, first[0])));
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

    it('anchors every append: the head it left, in one chain across streams that verifies', async () => {
      const other = newStream();
      await store.append(stream, [event('A', 1, stream), event('B', 2, stream)], 'no_stream');
      await store.append(other, [event('X', 1, other)], 'no_stream');
      await store.append(stream, [event('C', 3, stream)], 1);
      const read = await store.readStream(stream);
      const anchors = await store.streamAnchors(stream);
      expect(anchors.map((a) => [a.revision, a.headHash])).toEqual([
        [1, read[1].hash],
        [2, read[2].hash],
      ]);
      expect(verifyChain(stream, read, anchors)).toMatchObject({ valid: true, anchor: { revision: 2, headHash: read[2].hash, sequence: anchors[1].sequence } });
      const chain = (await verifyAnchorChain(store, 3)).result();
      expect(chain).toMatchObject({ valid: true });
      expect(chain.head).toEqual(
        expect.objectContaining({ sequence: (await store.anchorHead())!.sequence, anchorHash: (await store.anchorHead())!.anchorHash }),
      );
      expect(chain.head!.sequence).toBe(chain.anchors);
    });

    (tampers ? describe : describe.skip)('against tampering behind the adapter', () => {
      const tamper = () => {
        if (!tampering) throw new Error(`${name}: open() handed over no tampering`);
        return tampering;
      };

      it('given appends arriving together, when one repeats an event id already stored, then only that one fails', async () => {
        const first = event('A', 1, stream);
        await store.append(stream, [first], 'no_stream');
        const others = Array.from({ length: 6 }, () => newStream());
        const results = await Promise.allSettled([
          ...others.map((s) => store.append(s, [event('B', 1, s)], 'no_stream')),
          store.append(newStream(), [{ ...first }], 'no_stream'),
        ]);
        expect(results.map((r) => r.status)).toEqual([...others.map(() => 'fulfilled'), 'rejected']);
        for (const s of others) expect(await store.readStream(s)).toHaveLength(1);
        expect((await verifyAnchorChain(store, 10)).result()).toMatchObject({ valid: true });
      });

      it('deleting the newest event of a stream (and fixing its head) is detected, naming the anchored revision', async () => {
        await store.append(stream, [event('A', 1, stream), event('B', 2, stream)], 'no_stream');
        await store.append(stream, [event('C', 3, stream)], 1);
        await tamper().deleteNewestEvent(stream);
        const read = await store.readStream(stream);
        expect(read).toHaveLength(2);
        expect(verifyChain(stream, read).valid).toBe(true); // the chain alone cannot see it
        expect(verifyChain(stream, read, await store.streamAnchors(stream))).toMatchObject({
          valid: false,
          firstBrokenLink: { reason: 'HEAD_DELETED', revision: 2, anchor: { revision: 2 } },
        });
      });

      it('deleting the newest event, then writing a new one in its place, is detected too', async () => {
        await store.append(stream, [event('A', 1, stream), event('B', 2, stream)], 'no_stream');
        await tamper().deleteNewestEvent(stream);
        await store.append(stream, [event('B2', 9, stream)], 0);
        const read = await store.readStream(stream);
        expect(verifyChain(stream, read).valid).toBe(true);
        expect(verifyChain(stream, read, await store.streamAnchors(stream))).toMatchObject({
          valid: false,
          firstBrokenLink: { reason: 'ANCHOR_MISMATCH', revision: 1, eventId: read[1].eventId },
        });
      });

      it('deleting a whole stream is detected: the anchor chain still names it', async () => {
        const kept = newStream();
        await store.append(stream, [event('A', 1, stream)], 'no_stream');
        await store.append(kept, [event('K', 1, kept)], 'no_stream');
        await tamper().deleteStream(stream);
        expect(await store.readStream(stream)).toEqual([]);
        const anchors = await verifyAnchorChain(store);
        expect(anchors.result().valid).toBe(true);
        expect(anchors.anchoredStreams()).toEqual(expect.arrayContaining([stream, kept]));
        expect(verifyChain(stream, [], anchors.anchorsOf(stream))).toMatchObject({
          valid: false,
          events: 0,
          firstBrokenLink: { reason: 'HEAD_DELETED', revision: 0, found: 'no events' },
        });
        expect(verifyChain(kept, await store.readStream(kept), anchors.anchorsOf(kept)).valid).toBe(true);
      });

      it('a changed recorded_at breaks the hash of that event', async () => {
        await store.append(stream, [event('A', 1, stream), event('B', 2, stream)], 'no_stream');
        await tamper().setRecordedAt(stream, 1, '2020-01-01T00:00:00.000Z');
        const read = await store.readStream(stream);
        expect(read[1].recordedAt).toBe('2020-01-01T00:00:00.000Z');
        expect(verifyChain(stream, read)).toMatchObject({ valid: false, firstBrokenLink: { revision: 1, reason: 'HASH_MISMATCH' } });
      });

      it('events of the previous release (hash scheme 1) still verify, and the chain goes on in scheme 2', async () => {
        const old = [event('A', 1, stream), event('B', 2, stream)];
        await tamper().writeSchemeOneStream(stream, old);
        const before = await store.readStream(stream);
        expect(before.map((e) => e.hashScheme)).toEqual([1, 1]);
        expect(verifyChain(stream, before)).toMatchObject({ valid: true, events: 2 });
        await store.append(stream, [event('C', 3, stream)], 1);
        const after = await store.readStream(stream);
        expect(after.map((e) => e.hashScheme)).toEqual([1, 1, 2]);
        expect(after[2].prevHash).toBe(before[1].hash);
        expect(verifyChain(stream, after, await store.streamAnchors(stream))).toMatchObject({ valid: true, events: 3, anchor: { revision: 2 } });
      });

      it('the anchor chain names the first anchor that was altered or removed', async () => {
        await store.append(stream, [event('A', 1, stream)], 'no_stream');
        const head = (await store.anchorHead())!;
        const verifier = new AnchorChainVerifier();
        const all = await store.readAnchors({ maxCount: 1_000_000 });
        verifier.add(all.map((a) => (a.sequence === head.sequence ? { ...a, revision: a.revision + 1 } : a)));
        expect(verifier.result()).toMatchObject({ valid: false, firstBrokenAnchor: { sequence: head.sequence, reason: 'ANCHOR_HASH_MISMATCH' } });
        const gap = new AnchorChainVerifier();
        gap.add(all.filter((a) => a.sequence !== 1));
        expect(gap.result()).toMatchObject({ valid: false, firstBrokenAnchor: { reason: 'SEQUENCE_GAP', expected: '1' } });
      });
    });
  });
}
