/**
 * Event store on EventStoreDB through @eventstore/db-client. Positions of the global feed are the $all
 * commit/prepare pair, encoded as `commit:prepare`. System streams ($...) are left out of the feed.
 */
import {
  ANY,
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

type StoredMetadata = EventMetadata & { schemaVersion?: number };

function encodePosition(position: { commit: bigint; prepare: bigint }): string {
  return `${position.commit}:${position.prepare}`;
}

function decodePosition(position: string): { commit: bigint; prepare: bigint } {
  const match = /^(\d+):(\d+)$/.exec(position);
  if (!match) throw new Error(`not a position of this store: ${position}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

function toExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

function toStored(resolved: ResolvedEvent): StoredEvent | undefined {
  const event = resolved.event;
  if (!event || event.streamId.startsWith('$') || event.type.startsWith('$')) return undefined;
  const { schemaVersion, ...metadata } = (event.metadata ?? {}) as StoredMetadata;
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

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({
            id: e.eventId,
            type: e.type,
            data: e.data as Record<string, unknown>,
            metadata: { ...e.metadata, schemaVersion: e.schemaVersion },
          }),
        ),
        { expectedRevision: toExpected(expected) },
      );
      return {
        revision: Number(result.nextExpectedRevision),
        position: result.position ? encodePosition(result.position) : '',
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      throw error;
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

  async ping(): Promise<void> {
    for await (const _ of this.client.readAll({ direction: FORWARDS, fromPosition: END, maxCount: 1 })) {
      break;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
