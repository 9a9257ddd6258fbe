/** GET /cases/{id}: the case now, or as it was at `asOf` (events that occurred at or before that instant). */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import { CaseNotFoundError, foldCase } from '@aftersales/case-domain';
import { CaseDidNotExistYetError } from '../application-errors';
import { CaseRepository } from '../case-repository';
import { toDomainEvent } from '../case-stream';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { ERASED, isSealed } from '@aftersales/personal-data';
import { CLOCK, PERSONAL_DATA, SLA_POLICY } from '../tokens';
import type { CaseView } from './case-view';
import { toCaseView } from './case-view';

export class GetCaseQuery {
  constructor(
    readonly caseId: string,
    readonly asOf?: Date,
  ) {}
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery, CaseView> {
  constructor(
    private readonly cases: CaseRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
    @Inject(PERSONAL_DATA) private readonly vault: PersonalDataVault,
  ) {}

  /** Opens the sealed contact details; after erasure they read as '[erased]'. */
  private async reveal(view: CaseView): Promise<CaseView> {
    if (!isSealed(view.contact)) return view;
    const contact = await this.vault.open(view.contact);
    return { ...view, contact: contact ?? ERASED };
  }

  async execute({ caseId, asOf }: GetCaseQuery): Promise<CaseView> {
    const { state, history } = await this.cases.load(caseId);
    if (!state.exists) throw new CaseNotFoundError(caseId);
    if (!asOf) return this.reveal(toCaseView(state, this.clock.now(), this.slaPolicy.warningRatio));
    const limit = asOf.getTime();
    const then = history.filter((e) => Date.parse(e.metadata.occurredAt) <= limit);
    if (then.length === 0) throw new CaseDidNotExistYetError(caseId, asOf.toISOString());
    const past = foldCase(caseId, then.map(toDomainEvent));
    return this.reveal(toCaseView(past, asOf, this.slaPolicy.warningRatio, asOf.toISOString()));
  }
}
