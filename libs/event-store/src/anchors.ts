/**
 * The anchor chain: one anchor per append, in append order, recording the stream's new head (revision and
 * hash), itself hash-chained across all streams:
 *   anchorHash = sha256(prevAnchorHash + "\n" + sequence + "\n" + revision + "\n" + headHash + "\n" + streamId)
 * with 64 zeros before the first anchor and sequences 1, 2, 3… without gaps. A stream that ends before a revision
 * its anchors recorded lost its newest events; an anchored stream that no longer exists was deleted. The newest
 * anchor (its sequence and hash) is what an auditor keeps outside the system (docs/audit-trail.md).
 */
import { createHash } from 'node:crypto';
import type { StreamAnchor } from './event-store.port';
import { GENESIS_HASH } from './hash-chain';

export function anchorHash(prevAnchorHash: string, sequence: number, streamId: string, revision: number, headHash: string): string {
  return createHash('sha256').update(`${prevAnchorHash}\n${sequence}\n${revision}\n${headHash}\n${streamId}`, 'utf8').digest('hex');
}

/** The anchor that follows `previous` (undefined: the first one). */
export function nextAnchor(
  previous: Pick<StreamAnchor, 'sequence' | 'anchorHash'> | undefined,
  streamId: string,
  revision: number,
  headHash: string,
): StreamAnchor {
  const sequence = (previous?.sequence ?? 0) + 1;
  const prevAnchorHash = previous?.anchorHash ?? GENESIS_HASH;
  return { sequence, streamId, revision, headHash, prevAnchorHash, anchorHash: anchorHash(prevAnchorHash, sequence, streamId, revision, headHash) };
}

export interface BrokenAnchor {
  sequence: number;
  reason: 'SEQUENCE_GAP' | 'PREVIOUS_ANCHOR_MISMATCH' | 'ANCHOR_HASH_MISMATCH';
  expected: string;
  found: string;
}

export interface AnchorChainVerification {
  anchors: number;
  valid: boolean;
  /** The newest anchor: keep its sequence and hash outside the system, and compare them next time. */
  head?: { sequence: number; anchorHash: string; streamId: string; revision: number };
  firstBrokenAnchor?: BrokenAnchor;
}

/**
 * Checks the anchor chain page by page (anchors in sequence order) and remembers every anchor of each stream, for
 * holding streams against them (verifyChain) and for naming anchored streams that are gone.
 */
export class AnchorChainVerifier {
  private count = 0;
  private last: StreamAnchor | undefined;
  private broken: BrokenAnchor | undefined;
  private readonly byStream = new Map<string, StreamAnchor[]>();

  add(anchors: readonly StreamAnchor[]): void {
    for (const a of anchors) {
      this.count += 1;
      const list = this.byStream.get(a.streamId);
      if (list) list.push(a);
      else this.byStream.set(a.streamId, [a]);
      if (!this.broken) this.broken = this.check(a);
      this.last = a;
    }
  }

  private check(a: StreamAnchor): BrokenAnchor | undefined {
    const sequence = (this.last?.sequence ?? 0) + 1;
    const prev = this.last?.anchorHash ?? GENESIS_HASH;
    if (a.sequence !== sequence) return { sequence: a.sequence, reason: 'SEQUENCE_GAP', expected: String(sequence), found: String(a.sequence) };
    if (a.prevAnchorHash !== prev) return { sequence: a.sequence, reason: 'PREVIOUS_ANCHOR_MISMATCH', expected: prev, found: a.prevAnchorHash };
    const recomputed = anchorHash(prev, a.sequence, a.streamId, a.revision, a.headHash);
    if (recomputed !== a.anchorHash) return { sequence: a.sequence, reason: 'ANCHOR_HASH_MISMATCH', expected: recomputed, found: a.anchorHash };
    return undefined;
  }

  /** Every anchor of the stream, oldest first (empty for a stream not yet anchored). */
  anchorsOf(streamId: string): StreamAnchor[] {
    return this.byStream.get(streamId) ?? [];
  }

  anchoredStreams(): string[] {
    return [...this.byStream.keys()];
  }

  result(): AnchorChainVerification {
    const head = this.last && { sequence: this.last.sequence, anchorHash: this.last.anchorHash, streamId: this.last.streamId, revision: this.last.revision };
    return { anchors: this.count, valid: !this.broken, ...(head ? { head } : {}), ...(this.broken ? { firstBrokenAnchor: this.broken } : {}) };
  }
}

/** Reads and checks the whole anchor chain of a store, page by page. */
export async function verifyAnchorChain(
  store: { readAnchors(options: { afterSequence?: number; maxCount: number }): Promise<StreamAnchor[]> },
  pageSize = 5000,
): Promise<AnchorChainVerifier> {
  const verifier = new AnchorChainVerifier();
  let after = 0;
  for (;;) {
    const page = await store.readAnchors({ afterSequence: after, maxCount: pageSize });
    if (page.length === 0) return verifier;
    verifier.add(page);
    after = page[page.length - 1].sequence;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
