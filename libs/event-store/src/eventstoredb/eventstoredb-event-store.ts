/**
 * Event store on EventStoreDB through @eventstore/db-client. Positions of the global feed are the $all
 * commit/prepare pair, encoded as `commit:prepare`. System streams ($...), system events and the anchor stream
 * are left out of the feed (6.2.1 cannot filter a read of $all on the server, so the adapter filters and keeps
 * reading until it has `maxCount` events or reaches the end). Every read that stops before the server finished
 * cancels its gRPC call (read-to-end.ts), so `close()` returns promptly.
 *
 * Anchors: right after each append, the stream's new head is appended to the anchor stream (one chain, the
 * anchor stream's expected revision serialises it). This is a second write: a process that dies between the two
 * leaves the newest events of that stream unanchored until its next append (see docs/audit-trail.md).
 * `recordedAt` is the adapter's clock at append time, kept in the event's metadata so the hash can cover it.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import type { AppendExpectedRevision, ResolvedEvent } from '@eventstore/db-client';
import type { AppendResult, EventMetadata, EventStore, EventToAppend, ExpectedRevision, ReadAllOptions, StoredEvent, StreamAnchor } from '../event-store.port';
import { WrongExpectedRevisionError } from '../event-store.port';
import { CURRENT_HASH_SCHEME, GENESIS_HASH, chainHashV2, chainPayload } from '../hash-chain';
import { nextAnchor } from '../anchors';
import { readToEnd } from './read-to-end';
import { backOff } from 'exponential-backoff';

type StoredMetadata = EventMetadata & {
  schemaVersion?: number;
  chain?: { prevHash: string; hash: string; scheme?: number; recordedAt?: string };
};

/** The part of the client the adapter uses. */
export type EventStoreDbClientPort = Pick<EventStoreDBClient, 'readStream' | 'readAll' | 'appendToStream' | 'dispose'>;

export interface EventStoreDbOptions {
  /**
   * Serve only streams whose names start with this in the global feed and its head (a test run namespaces its
   * streams this way on a shared server). Default: every stream.
   */
  streamPrefix?: string;
  /** The anchor stream. Default `aftersales-anchors`, or `<streamPrefix>anchors` with a prefix. */
  anchorStream?: string;
}

export const ANCHOR_EVENT_TYPE = 'StreamAnchored';

function encodePosition(position: { commit: bigint; prepare: bigint }): string {
  return `${position.commit}:${position.prepare}`;
}

function decodePosition(position: string): { commit: bigint; prepare: bigint } {
  const match = /^(\d+):(\d+)$/.exec(position);
  if (!match) throw new Error(`not a position of this store: ${position}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

function toStored(resolved: ResolvedEvent): StoredEvent | undefined {
  const event = resolved.event;
  if (!event || event.streamId.startsWith('$') || event.type.startsWith('$')) return undefined;
  const { schemaVersion, chain, ...metadata } = (event.metadata ?? {}) as StoredMetadata;
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: event.position ? encodePosition(event.position) : '',
    eventId: event.id,
    type: event.type,
    schemaVersion: schemaVersion ?? 1,
    data: event.data,
    metadata: metadata,
    recordedAt: chain?.recordedAt ?? new Date(event.created).toISOString(),
    ...(chain ? { prevHash: chain.prevHash, hash: chain.hash, hashScheme: chain.scheme ?? 1 } : {}),
  };
}

/** An anchor event as stored; a malformed one keeps its place (sequence from its revision) and fails verification. */
function toAnchor(resolved: ResolvedEvent): StreamAnchor | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const data = (event.data ?? {}) as Partial<StreamAnchor>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    sequence: typeof data.sequence === 'number' ? data.sequence : Number(event.revision) + 1,
    streamId: text(data.streamId),
    revision: typeof data.revision === 'number' ? data.revision : -1,
    headHash: text(data.headHash),
    prevAnchorHash: text(data.prevAnchorHash),
    anchorHash: text(data.anchorHash),
  };
}

export class AnchorNotWrittenError extends Error {
  readonly code = 'ANCHOR_NOT_WRITTEN';
  constructor(streamId: string, revision: number, cause: unknown) {
    super(
      `stream ${streamId}: events up to revision ${revision} are stored but their anchor could not be written ` +
        `(${cause instanceof Error ? cause.message : String(cause)}); the stream's next append anchors them`,
    );
  }
}

const ANCHOR_ATTEMPTS = 50;
/** Attempts of an append with `any` when other writers keep moving the head. */
const APPEND_ATTEMPTS_ANY = 9;
/** Waits between attempts after a lost race (`exponential-backoff`): up to 5, 10, 20 … ms (full jitter), at most 100 ms. */
const STORE_RETRY = { startingDelay: 5, timeMultiple: 2, maxDelay: 100, jitter: 'full' } as const;
const PAGE = 500;

export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb';
  private readonly streamPrefix: string;
  private readonly anchorStream: string;
  /** Anchors of this process are written one at a time; only other processes make the anchor stream's revision race. */
  private anchoring: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: EventStoreDbClientPort,
    options: EventStoreDbOptions = {},
  ) {
    this.streamPrefix = options.streamPrefix ?? '';
    this.anchorStream = options.anchorStream ?? (options.streamPrefix ? `${options.streamPrefix}anchors` : 'aftersales-anchors');
  }

  static async open(connectionString: string, options: EventStoreDbOptions = {}): Promise<EventStoreDbEventStore> {
    const store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** An event of the global feed this store serves (user streams under the prefix, not the anchor stream). */
  private feedEvent(resolved: ResolvedEvent): StoredEvent | undefined {
    const stored = toStored(resolved);
    if (!stored || stored.streamId === this.anchorStream || !stored.streamId.startsWith(this.streamPrefix)) return undefined;
    return stored;
  }

  /** The stream's last revision and hash (-1 and the genesis hash when it does not exist). */
  private async head(streamId: string): Promise<{ revision: number; hash: string }> {
    let head = { revision: -1, hash: GENESIS_HASH };
    try {
      await readToEnd(this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }), (resolved) => {
        const stored = toStored(resolved);
        if (!stored) return true;
        head = { revision: stored.revision, hash: stored.hash ?? GENESIS_HASH };
        return false;
      });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return head;
  }

  /**
   * Reads the stream's head for the hash chain, then appends at exactly that revision, so the chain cannot fork;
   * with `any` a lost race is retried on the new head. Then anchors the new head.
   */
  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    if (streamId === this.anchorStream) throw new Error(`${streamId} is the anchor stream; nothing else appends to it`);
    try {
      return await backOff(() => this.appendAtHead(streamId, events, expected), {
        ...STORE_RETRY,
        numOfAttempts: expected === 'any' ? APPEND_ATTEMPTS_ANY : 1,
        retry: (error) => error instanceof WrongExpectedVersionError,
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
  }

  /** One attempt: chain the events onto the head as read, append at exactly that revision, anchor the new head. */
  private async appendAtHead(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const head = await this.head(streamId);
    if (expected !== 'any' && !(expected === 'no_stream' ? head.revision === -1 : head.revision === expected)) {
      throw new WrongExpectedRevisionError(streamId, expected, head.revision);
    }
    const recordedAt = new Date().toISOString();
    let prev = head.hash;
    const chained = events.map((e) => {
      const hash = chainHashV2(prev, recordedAt, chainPayload(streamId, e));
      const event = jsonEvent({
        id: e.eventId,
        type: e.type,
        data: e.data as Record<string, unknown>,
        metadata: { ...e.metadata, schemaVersion: e.schemaVersion, chain: { prevHash: prev, hash, scheme: CURRENT_HASH_SCHEME, recordedAt } },
      });
      prev = hash;
      return event;
    });
    const result = await this.client.appendToStream(streamId, chained, {
      expectedRevision: head.revision === -1 ? NO_STREAM : (BigInt(head.revision) as AppendExpectedRevision),
    });
    const revision = Number(result.nextExpectedRevision);
    await this.anchor(streamId, revision, prev);
    return { revision, position: result.position ? encodePosition(result.position) : '' };
  }

  private anchor(streamId: string, revision: number, headHash: string): Promise<void> {
    const write = this.anchoring.then(async () => {
      const attempt = async () => {
        const last = await this.lastAnchor();
        const anchor = nextAnchor(last?.anchor, streamId, revision, headHash);
        try {
          await this.client.appendToStream(this.anchorStream, jsonEvent({ type: ANCHOR_EVENT_TYPE, data: { ...anchor } }), {
            expectedRevision: last ? (BigInt(last.revision) as AppendExpectedRevision) : NO_STREAM,
          });
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw new AnchorNotWrittenError(streamId, revision, error);
          throw error; // another writer anchored first: read the new last anchor and try again
        }
      };
      try {
        await backOff(attempt, { ...STORE_RETRY, numOfAttempts: ANCHOR_ATTEMPTS, retry: (error) => error instanceof WrongExpectedVersionError });
      } catch (error) {
        throw error instanceof WrongExpectedVersionError ? new AnchorNotWrittenError(streamId, revision, error) : error;
      }
    });
    this.anchoring = write.catch(() => undefined);
    return write;
  }

  /** The newest anchor and its revision in the anchor stream. */
  private async lastAnchor(): Promise<{ anchor: StreamAnchor; revision: number } | undefined> {
    let last: { anchor: StreamAnchor; revision: number } | undefined;
    try {
      await readToEnd(this.client.readStream(this.anchorStream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }), (resolved) => {
        const anchor = toAnchor(resolved);
        if (!anchor || !resolved.event) return true;
        last = { anchor, revision: Number(resolved.event.revision) };
        return false;
      });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return last;
  }

  async readAnchors(options: { afterSequence?: number; maxCount: number }): Promise<StreamAnchor[]> {
    const out: StreamAnchor[] = [];
    try {
      // Anchor n is at revision n - 1, so the anchors after n start at revision n.
      await readToEnd(
        this.client.readStream(this.anchorStream, {
          direction: FORWARDS,
          fromRevision: options.afterSequence ? BigInt(options.afterSequence) : START,
          maxCount: options.maxCount,
        }),
        (resolved) => {
          const anchor = toAnchor(resolved);
          if (anchor) out.push(anchor);
          return true;
        },
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  /** Reads the whole anchor stream: its cost grows with the number of appends (fine for an audit, not a hot path). */
  async streamAnchors(streamId: string): Promise<StreamAnchor[]> {
    const out: StreamAnchor[] = [];
    let after = 0;
    for (;;) {
      const page = await this.readAnchors({ afterSequence: after, maxCount: PAGE });
      out.push(...page.filter((a) => a.streamId === streamId));
      if (page.length < PAGE) return out;
      after += page.length;
    }
  }

  async anchorHead(): Promise<StreamAnchor | undefined> {
    return (await this.lastAnchor())?.anchor;
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: options.fromRevision ? BigInt(options.fromRevision) : START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      await readToEnd(read, (resolved) => {
        const stored = toStored(resolved);
        if (stored) out.push(stored);
        return true;
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  /**
   * Up to `maxCount` feed events after `after`. A read of $all from a position includes the event at that
   * position, which is skipped; pages made only of events the feed leaves out are read past, never taken for the end.
   */
  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    let from = options.after;
    const pageSize = Math.max(options.maxCount, PAGE) + 1;
    for (;;) {
      let raw = 0;
      let last: string | undefined;
      let full = false;
      const skip = from;
      await readToEnd(this.client.readAll({ direction: FORWARDS, fromPosition: from ? decodePosition(from) : START, maxCount: pageSize }), (resolved) => {
        raw += 1;
        const position = resolved.event?.position;
        if (position) last = encodePosition(position);
        if (last === skip) return true;
        const stored = this.feedEvent(resolved);
        if (stored) out.push(stored);
        full = out.length >= options.maxCount;
        return !full;
      });
      if (full || raw < pageSize || last === undefined || last === from) return out;
      from = last;
    }
  }

  /** The newest feed event's position, reading $all backwards past events the feed leaves out. */
  async headPosition(): Promise<string | undefined> {
    let from: string | undefined;
    for (;;) {
      let raw = 0;
      let last: string | undefined;
      let found: string | undefined;
      const skip = from;
      await readToEnd(this.client.readAll({ direction: BACKWARDS, fromPosition: from ? decodePosition(from) : END, maxCount: PAGE }), (resolved) => {
        raw += 1;
        const position = resolved.event?.position;
        if (position) last = encodePosition(position);
        if (last === skip) return true;
        found = this.feedEvent(resolved)?.position;
        return found === undefined;
      });
      if (found !== undefined) return found;
      if (raw < PAGE || last === undefined || last === from) return undefined;
      from = last;
    }
  }

  async ping(): Promise<void> {
    await readToEnd(this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }), () => false);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
