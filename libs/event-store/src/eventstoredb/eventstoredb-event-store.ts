/**
 * Event store on EventStoreDB through @eventstore/db-client. Positions of the global feed are the $all
 * commit/prepare pair, encoded as `commit:prepare`. System streams ($...) are left out of the feed.
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
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  StoredEvent,
} from '../event-store.port';
import { WrongExpectedRevisionError } from '../event-store.port';
import { GENESIS_HASH, chainHash, chainPayload } from '../hash-chain';

type StoredMetadata = EventMetadata & { schemaVersion?: number; chain?: { prevHash: string; hash: string } };

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
    metadata: metadata as EventMetadata,
    recordedAt: new Date(event.created).toISOString(),
    ...(chain ? { prevHash: chain.prevHash, hash: chain.hash } : {}),
  };
}

export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb';

  private constructor(private readonly client: EventStoreDBClient) {}

  static async open(connectionString: string): Promise<EventStoreDbEventStore> {
    const store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
    await store.ping();
    return store;
  }

  /** The stream's last revision and hash (-1 and the genesis hash when it does not exist). */
  private async head(streamId: string): Promise<{ revision: number; hash: string }> {
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const stored = toStored(resolved);
        if (stored) return { revision: stored.revision, hash: stored.hash ?? GENESIS_HASH };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { revision: -1, hash: GENESIS_HASH };
  }

  /**
   * Reads the stream's head for the hash chain, then appends at exactly that revision, so the chain cannot fork;
   * with `any` a lost race is retried on the new head.
   */
  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.head(streamId);
      if (expected !== 'any' && !(expected === 'no_stream' ? head.revision === -1 : head.revision === expected)) {
        throw new WrongExpectedRevisionError(streamId, expected, head.revision);
      }
      let prev = head.hash;
      const chained = events.map((e) => {
        const hash = chainHash(prev, chainPayload(streamId, e));
        const event = jsonEvent({
          id: e.eventId,
          type: e.type,
          data: e.data as Record<string, unknown>,
          metadata: { ...e.metadata, schemaVersion: e.schemaVersion, chain: { prevHash: prev, hash } },
        });
        prev = hash;
        return event;
      });
      try {
        const result = await this.client.appendToStream(streamId, chained, {
          expectedRevision: head.revision === -1 ? NO_STREAM : (BigInt(head.revision) as AppendExpectedRevision),
        });
        return {
          revision: Number(result.nextExpectedRevision),
          position: result.position ? encodePosition(result.position) : '',
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expected !== 'any' || attempt >= 8) {
          const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
          throw new WrongExpectedRevisionError(streamId, expected, actual);
        }
      }
    }
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: options.fromRevision ? BigInt(options.fromRevision) : START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of read) {
        const stored = toStored(resolved);
        if (stored) out.push(stored);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    const after = options.after;
    // $all reads include the starting position, so read one more and drop it.
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition: after ? decodePosition(after) : START,
      maxCount: options.maxCount + 1,
    });
    for await (const resolved of read) {
      const stored = toStored(resolved);
      if (!stored || stored.position === after) continue;
      out.push(stored);
      if (out.length >= options.maxCount) break;
    }
    return out;
  }

  async headPosition(): Promise<string | undefined> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 100 })) {
      const stored = toStored(resolved);
      if (stored) return stored.position;
    }
    return undefined;
  }

  async ping(): Promise<void> {
    for await (const _ of this.client.readAll({ direction: FORWARDS, fromPosition: END, maxCount: 1 })) {
      break;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
