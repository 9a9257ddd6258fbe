/**
 * The hash chain of a stream. Each event's hash is SHA-256 (hex) over the previous event's hash, a newline, and
 * the canonical JSON of the event: { streamId, eventId, type, schemaVersion, data, metadata }. The first event
 * of a stream chains to 64 zeros. Every adapter writes `prevHash` and `hash` at append time; anyone can verify
 * a stream from its events alone (docs/audit-trail.md).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { EventToAppend, StoredEvent } from './event-store.port';

export const GENESIS_HASH = '0'.repeat(64);

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

export function chainHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(`${prevHash}\n${payload}`, 'utf8').digest('hex');
}

export interface BrokenLink {
  revision: number;
  eventId: string;
  reason: 'REVISION_GAP' | 'PREVIOUS_HASH_MISMATCH' | 'HASH_MISMATCH' | 'HASH_MISSING';
  expected: string;
  found: string;
}

export interface ChainVerification {
  streamId: string;
  events: number;
  valid: boolean;
  headHash?: string;
  firstBrokenLink?: BrokenLink;
}

/** Walks a stream from revision 0 and names the first link that does not hold. */
export function verifyChain(streamId: string, events: StoredEvent[]): ChainVerification {
  let prev = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const broken = (reason: BrokenLink['reason'], expected: string, found: string): ChainVerification => ({
      streamId,
      events: events.length,
      valid: false,
      firstBrokenLink: { revision: event.revision, eventId: event.eventId, reason, expected, found },
    });
    if (event.revision !== index) return broken('REVISION_GAP', String(index), String(event.revision));
    if (!event.hash || !event.prevHash) return broken('HASH_MISSING', 'a hash', 'none');
    if (event.prevHash !== prev) return broken('PREVIOUS_HASH_MISMATCH', prev, event.prevHash);
    const recomputed = chainHash(prev, chainPayload(streamId, event));
    if (recomputed !== event.hash) return broken('HASH_MISMATCH', recomputed, event.hash);
    prev = event.hash;
  }
  return { streamId, events: events.length, valid: true, headHash: events.length ? prev : undefined };
}
