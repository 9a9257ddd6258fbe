/**
 * The hash chain of a stream, in two schemes (docs/audit-trail.md). Each event's hash is SHA-256 (hex) over the
 * previous event's hash, a newline, and the canonical JSON of the event { streamId, eventId, type, schemaVersion,
 * data, metadata }; scheme 2 (every event written by this release) also covers the store's recorded-at time:
 *   scheme 1: sha256(prevHash + "\n" + canonical)
 *   scheme 2: sha256(prevHash + "\n" + recordedAt + "\n" + canonical)
 * The first event of a stream chains to 64 zeros. Every adapter writes `prevHash`, `hash` and `hashScheme` at
 * append time; anyone can verify a stream from its events alone, and against the stream's anchors (anchors.ts)
 * to see that none of its newest events was removed.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { EventToAppend, StoredEvent, StreamAnchor } from './event-store.port';

export const GENESIS_HASH = '0'.repeat(64);

/** 1: written before recorded-at was covered (no longer written); 2: covers recorded-at. */
export type HashScheme = 1 | 2;
export const CURRENT_HASH_SCHEME: HashScheme = 2;

export function chainPayload(streamId: string, event: Pick<EventToAppend, 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata'>): string {
  return canonicalJson({
    streamId,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  });
}

/** Scheme 1 (the payload alone). */
export function chainHash(prevHash: string, payload: string): string {
  return sha256(`${prevHash}\n${payload}`);
}

/** Scheme 2: the recorded-at time (ISO 8601, UTC, milliseconds, as `StoredEvent.recordedAt`) is covered too. */
export function chainHashV2(prevHash: string, recordedAt: string, payload: string): string {
  return sha256(`${prevHash}\n${recordedAt}\n${payload}`);
}

/** The hash a stored event should carry under its own scheme (events without one are scheme 1). */
export function eventHash(prevHash: string, event: StoredEvent): string {
  const payload = chainPayload(event.streamId, event);
  return (event.hashScheme ?? 1) === 2 ? chainHashV2(prevHash, event.recordedAt, payload) : chainHash(prevHash, payload);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface BrokenLink {
  revision: number;
  /** Empty when the event at `revision` is missing altogether (HEAD_DELETED). */
  eventId: string;
  reason:
    | 'REVISION_GAP'
    | 'PREVIOUS_HASH_MISMATCH'
    | 'HASH_MISMATCH'
    | 'HASH_MISSING'
    | 'UNKNOWN_HASH_SCHEME'
    | 'HASH_SCHEME_DOWNGRADE'
    /** The stream ends before a revision its anchor recorded: its newest events (or all of them) were deleted. */
    | 'HEAD_DELETED'
    /** The event at an anchored revision is not the one anchored (the stream was cut and written again). */
    | 'ANCHOR_MISMATCH';
  expected: string;
  found: string;
  /** For HEAD_DELETED and ANCHOR_MISMATCH: the anchor that proves it. */
  anchor?: { sequence: number; revision: number; headHash: string };
}

export interface ChainVerification {
  streamId: string;
  events: number;
  valid: boolean;
  headHash?: string;
  /** The stream's newest anchor, when it has one (streams last written before anchoring began have none). */
  anchor?: { sequence: number; revision: number; headHash: string };
  firstBrokenLink?: BrokenLink;
}

/**
 * Walks a stream from revision 0 and names the first link that does not hold; then holds the stream against
 * every anchor of it (in anchor order), so deleting the newest events, or the whole stream, is named too.
 */
export function verifyChain(streamId: string, events: StoredEvent[], anchors: readonly StreamAnchor[] = []): ChainVerification {
  const newest = anchors.length ? anchors[anchors.length - 1] : undefined;
  const anchor = newest && { sequence: newest.sequence, revision: newest.revision, headHash: newest.headHash };
  const base = { streamId, events: events.length, ...(anchor ? { anchor } : {}) };
  let prev = GENESIS_HASH;
  let scheme = 1;
  for (const [index, event] of events.entries()) {
    const broken = (reason: BrokenLink['reason'], expected: string, found: string): ChainVerification => ({
      ...base,
      valid: false,
      firstBrokenLink: { revision: event.revision, eventId: event.eventId, reason, expected, found },
    });
    if (event.revision !== index) return broken('REVISION_GAP', String(index), String(event.revision));
    if (!event.hash || !event.prevHash) return broken('HASH_MISSING', 'a hash', 'none');
    const eventScheme = event.hashScheme ?? 1;
    if (eventScheme !== 1 && eventScheme !== 2) return broken('UNKNOWN_HASH_SCHEME', '1 or 2', String(eventScheme));
    if (eventScheme < scheme) return broken('HASH_SCHEME_DOWNGRADE', `scheme ${scheme} or later`, `scheme ${eventScheme}`);
    scheme = eventScheme;
    if (event.prevHash !== prev) return broken('PREVIOUS_HASH_MISMATCH', prev, event.prevHash);
    const recomputed = eventHash(prev, event);
    if (recomputed !== event.hash) return broken('HASH_MISMATCH', recomputed, event.hash);
    prev = event.hash;
  }
  for (const a of anchors) {
    const at = { sequence: a.sequence, revision: a.revision, headHash: a.headHash };
    if (a.revision >= events.length) {
      return {
        ...base,
        valid: false,
        firstBrokenLink: {
          revision: events.length,
          eventId: '',
          reason: 'HEAD_DELETED',
          expected: `revision ${a.revision} (anchored by anchor ${a.sequence})`,
          found: events.length ? `last revision ${events.length - 1}` : 'no events',
          anchor: at,
        },
      };
    }
    const event = events[a.revision];
    if (event.hash !== a.headHash) {
      return {
        ...base,
        valid: false,
        firstBrokenLink: {
          revision: a.revision,
          eventId: event.eventId,
          reason: 'ANCHOR_MISMATCH',
          expected: a.headHash,
          found: event.hash ?? 'none',
          anchor: at,
        },
      };
    }
  }
  return { ...base, valid: true, headHash: events.length ? prev : undefined };
}
