/** GET /audit/cases/{id}/verify: recomputes the case stream's hash chain and names the first broken link. */
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

export type CaseChainVerification = ChainVerification & { caseId: string; verifiedAt: string; algorithm: string };

@QueryHandler(VerifyCaseChainQuery)
export class VerifyCaseChainHandler implements IQueryHandler<VerifyCaseChainQuery, CaseChainVerification> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ caseId }: VerifyCaseChainQuery): Promise<CaseChainVerification> {
    const stream = caseStreamId(caseId);
    const events = await this.store.readStream(stream);
    if (events.length === 0) throw new CaseNotFoundError(caseId);
    return {
      caseId,
      algorithm: 'sha256(prevHash + "\\n" + canonicalJson({streamId, eventId, type, schemaVersion, data, metadata}))',
      verifiedAt: new Date().toISOString(),
      ...verifyChain(stream, events),
    };
  }
}
