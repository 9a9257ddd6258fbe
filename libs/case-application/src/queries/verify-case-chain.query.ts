/**
 * GET /audit/cases/{id}/verify: recomputes the case stream's hash chain, holds it against the stream's anchors
 * (so deleted newest events, or a deleted stream, are named) and names the first broken link; also gives the
 * newest anchor of the whole store, for the auditor to keep.
 */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CaseNotFoundError } from '@aftersales/case-domain';
import type { ChainVerification, EventStore } from '@aftersales/event-store';
import { verifyChain } from '@aftersales/event-store';
import { caseStreamId } from '../case-stream';
import { EVENT_STORE } from '../tokens';

export class VerifyCaseChainQuery {
  constructor(readonly caseId: string) {}
}

export type CaseChainVerification = ChainVerification & {
  caseId: string;
  verifiedAt: string;
  algorithm: string;
  /** The newest anchor of the store's anchor chain when this answer was made. */
  anchorHead?: { sequence: number; anchorHash: string };
};

@QueryHandler(VerifyCaseChainQuery)
export class VerifyCaseChainHandler implements IQueryHandler<VerifyCaseChainQuery, CaseChainVerification> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ caseId }: VerifyCaseChainQuery): Promise<CaseChainVerification> {
    const stream = caseStreamId(caseId);
    const [events, anchors, head] = await Promise.all([this.store.readStream(stream), this.store.streamAnchors(stream), this.store.anchorHead()]);
    if (events.length === 0 && anchors.length === 0) throw new CaseNotFoundError(caseId);
    return {
      caseId,
      algorithm:
        'hashScheme 2: sha256(prevHash + "\\n" + recordedAt + "\\n" + canonicalJson({streamId, eventId, type, schemaVersion, data, metadata})); ' +
        'hashScheme 1: the same without the recordedAt line',
      verifiedAt: new Date().toISOString(),
      ...verifyChain(stream, events, anchors),
      ...(head ? { anchorHead: { sequence: head.sequence, anchorHash: head.anchorHash } } : {}),
    };
  }
}
