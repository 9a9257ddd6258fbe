/** Runs one action on an existing case: load, check revision and idempotency, decide, append. */
import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Actor, CaseActionCommand, CaseState, Clock, SlaPolicy } from '@aftersales/case-domain';
import { CUSTOMER_ACTIONS, CaseNotFoundError, decide } from '@aftersales/case-domain';
import { IdempotencyKeyReusedError, StaleRevisionError } from '../application-errors';
import type { CaseCommandAnswer } from '../case-answer';
import { answerFor, earlierAnswer } from '../case-answer';
import { CaseRepository } from '../case-repository';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { actionFingerprint } from '../request-fingerprint';
import { CLOCK, PERSONAL_DATA, SLA_POLICY } from '../tokens';
import { withOptimisticRetry } from './decision-loop';
import { RunCaseActionCommand } from './run-case-action.command';

/** A customer's own action relayed by a service or an agent is attributed to the customer, via the relay. */
function actingParty(action: CaseActionCommand['type'], state: CaseState, caller: Actor): Actor {
  if (!CUSTOMER_ACTIONS.includes(action)) return caller;
  return { type: 'customer', id: state.customerId, via: { type: caller.type, id: caller.id } };
}

@CommandHandler(RunCaseActionCommand)
export class RunCaseActionHandler implements ICommandHandler<RunCaseActionCommand, CaseCommandAnswer> {
  constructor(
    private readonly cases: CaseRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
    @Inject(PERSONAL_DATA) private readonly vault: PersonalDataVault,
  ) {}

  async execute(command: RunCaseActionCommand): Promise<CaseCommandAnswer> {
    const { caseId, action, payload, expectedRevision, context } = command;
    const key = context.idempotencyKey;
    const fingerprint = key ? actionFingerprint(this.vault, action, payload, expectedRevision) : undefined;
    return withOptimisticRetry(caseId, async () => {
      const { state, history } = await this.cases.load(caseId);
      if (!state.exists) throw new CaseNotFoundError(caseId);
      const earlier = earlierAnswer(caseId, history, key, fingerprint);
      if (earlier === 'conflict') throw new IdempotencyKeyReusedError(key!);
      if (earlier) return earlier;
      if (expectedRevision !== undefined && expectedRevision !== state.revision) {
        throw new StaleRevisionError(caseId, expectedRevision, state.revision);
      }
      const actor = actingParty(action, state, context.caller);
      const events = decide({ type: action, caseId, actor, payload } as CaseActionCommand, state, {
        clock: this.clock,
        slaPolicy: this.slaPolicy,
      });
      const next = await this.cases.append(state, events, {
        actor,
        correlationId: context.correlationId,
        commandId: randomUUID(),
        idempotencyKey: key,
        requestHash: fingerprint?.value,
      });
      return answerFor(next);
    });
  }
}
