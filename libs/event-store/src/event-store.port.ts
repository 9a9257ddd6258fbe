/**
 * The event store port: streams with optimistic concurrency on the expected revision, plus one global,
 * totally ordered feed of every stream, plus the anchor chain (one anchor per append, anchors.ts) that lets
 * verification see deleted newest events and deleted streams. Revisions are 0-based (the first event of a stream
 * is revision 0).
 */

export interface ActorRef {
  type: string;
  id: string;
  via?: { type: string; id: string };
}

/** Metadata every event carries besides its type and data (spec section 3). */
export interface EventMetadata {
  /** Set on events of case streams. */
  caseId?: string;
  occurredAt: string;
  actor: ActorRef;
  correlationId: string;
  causationId: string;
  /** The command that produced the event; all events of one command share it. */
  commandId?: string;
  /** Set when the command came with an Idempotency-Key, with a keyed fingerprint (HMAC) of the request it answered, personal data left out. */
  idempotencyKey?: string;
  requestHash?: string;
  [extra: string]: unknown;
}

export interface EventToAppend {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

export interface StoredEvent extends EventToAppend {
  streamId: string;
  revision: number;
  /** Opaque, ordered position in the global feed; pass it back as `after` to resume. */
  position: string;
  recordedAt: string;
  /** The stream's hash chain (see hash-chain.ts): this event's hash and the previous one's. */
  prevHash?: string;
  hash?: string;
  /** Which formula `hash` follows (hash-chain.ts); absent on events written before schemes were recorded: 1. */
  hashScheme?: number;
}

/** One entry of the anchor chain (anchors.ts): the head a stream had right after an append. */
export interface StreamAnchor {
  /** 1, 2, 3… in append order, without gaps. */
  sequence: number;
  streamId: string;
  /** The stream's last revision after the append. */
  revision: number;
  /** The hash of the event at that revision. */
  headHash: string;
  prevAnchorHash: string;
  anchorHash: string;
}

/** A revision number, `no_stream` (the stream must not exist yet) or `any` (no check). */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface AppendResult {
  /** Revision of the last event written. */
  revision: number;
  position: string;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the very beginning. */
  after?: string;
  maxCount: number;
}

export interface EventStore {
  /** `pglite`, `postgres` or `eventstoredb`. */
  readonly kind: string;
  append(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** The stream in revision order; empty when the stream does not exist. */
  readStream(streamId: string, options?: { fromRevision?: number; maxCount?: number }): Promise<StoredEvent[]>;
  /** The global feed in commit order. */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /** Position of the newest event in the global feed (undefined when the store is empty). */
  headPosition(): Promise<string | undefined>;
  /** The anchor chain in sequence order, strictly after `afterSequence` (0 or omitted: from the first). */
  readAnchors(options: { afterSequence?: number; maxCount: number }): Promise<StreamAnchor[]>;
  /** Every anchor of one stream, oldest first (empty for a stream not yet anchored). */
  streamAnchors(streamId: string): Promise<StreamAnchor[]>;
  /** The newest anchor of the whole chain (undefined before the first append). */
  anchorHead(): Promise<StreamAnchor | undefined>;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${expected}, actual ${actual}`);
  }
}

export function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === -1;
  return expected === actual;
}
