/**
 * Opens a case. With an Idempotency-Key the case id is derived from the caller and the key, so a retry lands
 * on the same stream: the store's `no_stream` check makes "same key, one case" atomic on every adapter.
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
import { canonicalHash, nameBasedUuid } from '@aftersales/event-store';
import { CLOCK, SLA_POLICY } from '../tokens';
import { withOptimisticRetry } from './decision-loop';
import { OpenCaseCommand } from './open-case.command';

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand, CaseCommandAnswer> {
  constructor(
    private readonly cases: CaseRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
  ) {}

  async execute({ payload, context }: OpenCaseCommand): Promise<CaseCommandAnswer> {
    const key = context.idempotencyKey;
    const caseId = key ? nameBasedUuid(`open:${context.caller.type}:${context.caller.id}:${key}`) : randomUUID();
    const requestHash = key ? canonicalHash({ action: 'open', payload }) : undefined;
    return withOptimisticRetry(caseId, async () => {
      const { state, history } = await this.cases.load(caseId);
      const earlier = earlierAnswer(caseId, history, key, requestHash);
      if (earlier === 'conflict') throw new IdempotencyKeyReusedError(key!);
      if (earlier) return earlier;
      if (state.exists) throw new CaseAlreadyExistsError(caseId);
      const events = decide({ type: 'open', caseId, actor: context.caller, payload }, state, {
        clock: this.clock,
        slaPolicy: this.slaPolicy,
      });
      const next = await this.cases.append(state, events, {
        actor: context.caller,
        correlationId: context.correlationId,
        commandId: randomUUID(),
        idempotencyKey: key,
        requestHash,
      });
      return answerFor(next);
    });
  }
}
