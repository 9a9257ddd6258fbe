/**
 * The EventStoreDB adapter's reads, without a server: no EventStoreDB can run on these machines (the full contract
 * suite runs against a real one whenever EVENTSTORE_CONNECTION_STRING is set). For this one point a small
 * in-process fake stands in for the client: its reads are object-mode Node Readables with `cancel()`, like the
 * client's `StreamingRead`, and it records whether each read ran to its end or was cancelled. A read that did
 * neither is what keeps `client.dispose()` waiting for ever on a real server.
 */
import { Readable } from 'node:stream';
import { StreamNotFoundError } from '@eventstore/db-client';
import type { EventStoreDbClientPort, EventToAppend } from '../src';
import { AnchorChainVerifier, EventStoreDbEventStore, verifyChain } from '../src';

interface FakeRecord {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  created: Date;
  position: { commit: bigint; prepare: bigint };
}

interface ReadLog {
  what: string;
  ended: boolean;
  cancelled: boolean;
}

class FakeEventStoreDb {
  readonly all: FakeRecord[] = [];
  readonly reads: ReadLog[] = [];

  write(streamId: string, type: string, data: unknown = {}, metadata: unknown = {}, id = `id-${this.all.length}`): FakeRecord {
    const revision = BigInt(this.all.filter((r) => r.streamId === streamId).length);
    const at = BigInt((this.all.length + 1) * 100);
    const record = { streamId, revision, id, type, data, metadata, created: new Date(Date.UTC(2026, 0, 1)), position: { commit: at, prepare: at } };
    this.all.push(record);
    return record;
  }

  private read(what: string, records: FakeRecord[], missing?: string) {
    const log: ReadLog = { what, ended: false, cancelled: false };
    this.reads.push(log);
    const stream = Readable.from(
      (function* () {
        if (missing) throw new StreamNotFoundError(undefined, missing);
        for (const r of records) yield { event: r };
      })(),
      { objectMode: true },
    ) as Readable & { cancel(): Promise<void> };
    stream.on('end', () => (log.ended = true));
    stream.on('error', () => (log.ended = true)); // the call failed: it is over
    stream.cancel = async () => {
      log.cancelled = true;
      stream.destroy();
    };
    return stream;
  }

  client(): EventStoreDbClientPort {
    const fake = {
      readStream: (streamId: string, options: { direction?: string; fromRevision?: bigint | string; maxCount?: number | bigint } = {}) => {
        let records = this.all.filter((r) => r.streamId === streamId);
        if (records.length === 0) return this.read(`readStream ${streamId}`, [], streamId);
        if (options.direction === 'backwards') {
          records = [...records].reverse();
          if (typeof options.fromRevision === 'bigint') records = records.filter((r) => r.revision <= (options.fromRevision as bigint));
        } else if (typeof options.fromRevision === 'bigint') records = records.filter((r) => r.revision >= (options.fromRevision as bigint));
        return this.read(`readStream ${streamId}`, records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)));
      },
      readAll: (options: { direction?: string; fromPosition?: { commit: bigint } | string; maxCount?: number | bigint } = {}) => {
        let records = [...this.all];
        const from = options.fromPosition;
        if (options.direction === 'backwards') {
          records.reverse();
          if (typeof from === 'object') records = records.filter((r) => r.position.commit <= from.commit);
        } else if (typeof from === 'object') records = records.filter((r) => r.position.commit >= from.commit);
        else if (from === 'end') records = [];
        return this.read('readAll', records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)));
      },
      appendToStream: async (streamId: string, events: unknown, _options: unknown) => {
        let last: FakeRecord | undefined;
        for (const e of (Array.isArray(events) ? events : [events]) as Array<{ id: string; type: string; data: unknown; metadata?: unknown }>) {
          last = this.write(streamId, e.type, e.data, e.metadata, e.id);
        }
        return { success: true, nextExpectedRevision: last!.revision, position: last!.position };
      },
      dispose: async () => undefined,
    };
    return fake;
  }

  /** Reads that neither ended nor were cancelled: each would hold `dispose()` up. */
  leaked(): ReadLog[] {
    return this.reads.filter((r) => !r.ended && !r.cancelled);
  }
}

const toAppend = (n: number): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type: 'CaseNoted',
  schemaVersion: 1,
  data: { n },
  metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'agent', id: 'a' }, correlationId: 'c', causationId: 'c' },
});

describe('EventStoreDB adapter reads (in-process fake client)', () => {
  it('cancels the read of every early exit: head lookups, headPosition, ping, and a feed page cut at maxCount', async () => {
    const fake = new FakeEventStoreDb();
    const store = new EventStoreDbEventStore(fake.client());
    for (let n = 0; n < 5; n++) fake.write('case-a', 'CaseNoted', { n });
    await store.append('case-a', [toAppend(1)], 4); // the head lookup stops at the first event
    expect(await store.headPosition()).toBeDefined();
    await store.ping();
    expect(await store.readAll({ maxCount: 2 })).toHaveLength(2);
    expect(fake.reads.length).toBeGreaterThanOrEqual(5);
    expect(fake.reads.some((r) => r.cancelled)).toBe(true);
    expect(fake.leaked()).toEqual([]);
  });

  it('a missing stream reads as empty and its failed read is not left open', async () => {
    const fake = new FakeEventStoreDb();
    const store = new EventStoreDbEventStore(fake.client());
    expect(await store.readStream('case-none')).toEqual([]);
    expect(await store.streamAnchors('case-none')).toEqual([]);
    expect(await store.anchorHead()).toBeUndefined();
    expect(fake.leaked()).toEqual([]);
  });

  it('reads the feed past pages made only of system events, up to maxCount events or the end', async () => {
    const fake = new FakeEventStoreDb();
    fake.write('case-1', 'CaseNoted');
    for (let i = 0; i < 1300; i++) fake.write('$stats-127.0.0.1:2113', '$statsCollected');
    fake.write('case-2', 'CaseNoted');
    fake.write('case-3', 'CaseNoted');
    const store = new EventStoreDbEventStore(fake.client());
    const first = await store.readAll({ maxCount: 2 });
    expect(first.map((e) => e.streamId)).toEqual(['case-1', 'case-2']);
    const rest = await store.readAll({ after: first[1].position, maxCount: 10 });
    expect(rest.map((e) => e.streamId)).toEqual(['case-3']);
    expect(await store.readAll({ after: rest[0].position, maxCount: 10 })).toEqual([]);
    expect(fake.leaked()).toEqual([]);
  });

  it('with a stream prefix serves only those streams in the feed and its head, and never the anchor stream', async () => {
    const fake = new FakeEventStoreDb();
    const store = new EventStoreDbEventStore(fake.client(), { streamPrefix: 'run1-' });
    await store.append('run1-case-a', [toAppend(1)], 'no_stream');
    fake.write('run0-case-old', 'CaseNoted');
    fake.write('$et-CaseNoted', '$>');
    const feed = await store.readAll({ maxCount: 100 });
    expect(feed.map((e) => e.streamId)).toEqual(['run1-case-a']);
    expect(await store.headPosition()).toBe(feed[0].position);
    expect(fake.all.map((r) => r.streamId)).toContain('run1-anchors');
    expect(fake.leaked()).toEqual([]);
  });

  it('anchors each append in its anchor stream, chained, and the stream verifies against its anchors', async () => {
    const fake = new FakeEventStoreDb();
    const store = new EventStoreDbEventStore(fake.client());
    await store.append('case-a', [toAppend(1), toAppend(2)], 'no_stream');
    await store.append('case-b', [toAppend(3)], 'no_stream');
    await store.append('case-a', [toAppend(4)], 1);
    const anchors = await store.readAnchors({ maxCount: 100 });
    expect(anchors.map((a) => [a.sequence, a.streamId, a.revision])).toEqual([
      [1, 'case-a', 1],
      [2, 'case-b', 0],
      [3, 'case-a', 2],
    ]);
    const verifier = new AnchorChainVerifier();
    verifier.add(anchors);
    expect(verifier.result()).toMatchObject({ valid: true, anchors: 3, head: { sequence: 3 } });
    const events = await store.readStream('case-a');
    expect(events.map((e) => e.hashScheme)).toEqual([2, 2, 2]);
    expect(verifyChain('case-a', events, await store.streamAnchors('case-a'))).toMatchObject({ valid: true, anchor: { revision: 2 } });
    expect(verifyChain('case-a', events.slice(0, 2), await store.streamAnchors('case-a'))).toMatchObject({
      valid: false,
      firstBrokenLink: { reason: 'HEAD_DELETED' },
    });
    expect((await store.readAnchors({ afterSequence: 2, maxCount: 100 })).map((a) => a.sequence)).toEqual([3]);
    expect(fake.leaked()).toEqual([]);
  });
});
