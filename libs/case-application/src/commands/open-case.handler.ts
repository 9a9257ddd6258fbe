/**
 * Opens a case. With an Idempotency-Key the case id is derived from the caller and the key, so a retry lands
 * on the same stream: the store's `no_stream` check makes "same key, one case" atomic on every adapter.
 * The reason and description are triaged here (with the customer's earlier cases about the order) and the
 * result passed into the open command, so the domain records `CaseTriaged` and applies its regulator rule.
 */
import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import { CaseAlreadyExistsError, decide } from '@aftersales/case-domain';
import { IdempotencyKeyReusedError } from '../application-errors';
import type { CaseCommandAnswer } from '../case-answer';
import { answerFor, earlierAnswer } from '../case-answer';
import { CaseRepository } from '../case-repository';
import { nameBasedUuid } from '@aftersales/event-store';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { openCaseFingerprint, sameContact } from '../request-fingerprint';
import { CALENDAR_DIRECTORY, CLOCK, CUSTOMER_AT_OPENING, PERSONAL_DATA, SLA_POLICY, TRIAGE_ANALYSER } from '../tokens';
import type { TriageAnalyser } from '@aftersales/triage';
import type { CalendarDirectory, CustomerAtOpeningLookup } from '../open-case-lookups';
import { withOptimisticRetry } from './decision-loop';
import { OpenCaseCommand } from './open-case.command';

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand, CaseCommandAnswer> {
  constructor(
    private readonly cases: CaseRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
    @Inject(PERSONAL_DATA) private readonly vault: PersonalDataVault,
    @Inject(CALENDAR_DIRECTORY) private readonly calendars: CalendarDirectory,
    @Inject(CUSTOMER_AT_OPENING) private readonly customers: CustomerAtOpeningLookup,
    @Inject(TRIAGE_ANALYSER) private readonly triageAnalyser: TriageAnalyser,
  ) {}

  async execute({ payload, context }: OpenCaseCommand): Promise<CaseCommandAnswer> {
    const key = context.idempotencyKey;
    const caseId = key ? nameBasedUuid(`open:${context.caller.type}:${context.caller.id}:${key}`) : randomUUID();
    const fingerprint = key ? openCaseFingerprint(this.vault, payload) : undefined;
    return withOptimisticRetry(caseId, async () => {
      // A random id names a stream nobody can have written yet: nothing to read. A key's id may exist already.
      const { state, history } = key ? await this.cases.load(caseId) : { state: this.cases.fresh(caseId), history: [] };
      const earlier = earlierAnswer(caseId, history, key, fingerprint);
      if (earlier === 'conflict') throw new IdempotencyKeyReusedError(key!);
      if (earlier && !(await sameContact(this.vault, history, payload.contact))) throw new IdempotencyKeyReusedError(key!);
      if (earlier) return earlier;
      if (state.exists) throw new CaseAlreadyExistsError(caseId);
      const [calendar, { tier: loyaltyTier, priorCases }] = await Promise.all([
        this.calendars.calendarFor(payload.merchantId),
        this.customers.customerAtOpening(payload.customerId, payload.orderId),
      ]);
      // Triage runs here, at the edge of the domain: decide records what it found (CaseTriaged) and acts on it.
      const triage = this.triageAnalyser.analyse({
        text: `${payload.reason}\n${payload.description}`,
        caseId,
        customerId: payload.customerId,
        orderId: payload.orderId,
        priorCases,
      });
      const events = decide({ type: 'open', caseId, actor: context.caller, payload, lookups: { calendar, loyaltyTier }, triage }, state, {
        clock: this.clock,
        slaPolicy: this.slaPolicy,
      });
      const next = await this.cases.append(state, events, {
        actor: context.caller,
        correlationId: context.correlationId,
        commandId: randomUUID(),
        idempotencyKey: key,
        requestHash: fingerprint?.value,
      });
      return answerFor(next);
    });
  }
}
