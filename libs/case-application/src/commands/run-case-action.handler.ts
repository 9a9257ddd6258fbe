/**
 * Runs one action on an existing case: decide on the case's state, append with the expected revision.
 * Without an Idempotency-Key the state comes from the repository's cache when it holds one; a lost race reads
 * only the events missed and decides again, and a refusal decided on a cached state is re-checked on fresh state
 * before it is answered. With a key, the whole stream is read: an earlier command with the same key answers.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Actor, CaseActionCommand, CaseEvent, CaseState, Clock, SlaPolicy } from '@aftersales/case-domain';
import { CUSTOMER_ACTIONS, CaseDomainError, CaseNotFoundError, decide } from '@aftersales/case-domain';
import { WrongExpectedRevisionError } from '@aftersales/event-store';
import { ConcurrencyExhaustedError, IdempotencyKeyReusedError, StaleRevisionError } from '../application-errors';
import type { CaseCommandAnswer } from '../case-answer';
import { answerFor, earlierAnswer } from '../case-answer';
import { CaseRepository } from '../case-repository';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { actionFingerprint } from '../request-fingerprint';
import { CLOCK, PERSONAL_DATA, SLA_POLICY, TRIAGE_ANALYSER } from '../tokens';
import type { TriageAnalyser } from '@aftersales/triage';
import { MAX_DECISION_ATTEMPTS, withOptimisticRetry } from './decision-loop';
import { PerCaseQueue } from './per-case-queue';
import { FOLLOW_UP_POLICY } from '../tokens';
import type { FollowUpPolicy } from '@aftersales/case-domain';
import { DEFAULT_FOLLOW_UP_POLICY } from '@aftersales/case-domain';
import { RunCaseActionCommand } from './run-case-action.command';

/** A customer's own action relayed by a service or an agent is attributed to the customer, via the relay. */
function actingParty(action: CaseActionCommand['type'], state: CaseState, caller: Actor): Actor {
  if (!CUSTOMER_ACTIONS.includes(action)) return caller;
  return { type: 'customer', id: state.customerId, via: { type: caller.type, id: caller.id } };
}

interface Decision {
  events: CaseEvent[];
  actor: Actor;
}

@CommandHandler(RunCaseActionCommand)
export class RunCaseActionHandler implements ICommandHandler<RunCaseActionCommand, CaseCommandAnswer> {
  constructor(
    private readonly cases: CaseRepository,
    private readonly perCase: PerCaseQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
    @Inject(PERSONAL_DATA) private readonly vault: PersonalDataVault,
    @Inject(TRIAGE_ANALYSER) private readonly triage: TriageAnalyser,
    @Optional() @Inject(FOLLOW_UP_POLICY) private readonly followUpPolicy: FollowUpPolicy = DEFAULT_FOLLOW_UP_POLICY,
  ) {}

  async execute(command: RunCaseActionCommand): Promise<CaseCommandAnswer> {
    return this.perCase.run(command.caseId, () => (command.context.idempotencyKey ? this.keyed(command) : this.unkeyed(command)));
  }

  /** Decides on `state`: the events to append, or a refusal (thrown). */
  private decideOn(command: RunCaseActionCommand, state: CaseState): Decision {
    const { caseId, action, payload, expectedRevision, context } = command;
    if (!state.exists) throw new CaseNotFoundError(caseId);
    if (expectedRevision !== undefined && expectedRevision !== state.revision) {
      throw new StaleRevisionError(caseId, expectedRevision, state.revision);
    }
    const actor = actingParty(action, state, context.caller);
    const events = decide({ type: action, caseId, actor, payload } as CaseActionCommand, state, {
      clock: this.clock,
      slaPolicy: this.slaPolicy,
      followUpPolicy: this.followUpPolicy,
      // Customer messages are matched against the same configured regulator terms as the opening's triage.
      mentionsRegulator: (text) => this.triage.mentionsRegulator(text),
    });
    return { events, actor };
  }

  private async unkeyed(command: RunCaseActionCommand): Promise<CaseCommandAnswer> {
    const { caseId, context } = command;
    let { state, fresh } = await this.cases.current(caseId);
    for (let attempt = 0; attempt < MAX_DECISION_ATTEMPTS; attempt++) {
      let decided: Decision;
      try {
        decided = this.decideOn(command, state);
      } catch (error) {
        const refusal = error instanceof CaseDomainError || error instanceof StaleRevisionError;
        if (!refusal || fresh) throw error;
        state = await this.cases.refresh(state);
        fresh = true;
        continue;
      }
      try {
        const next = await this.cases.append(state, decided.events, {
          actor: decided.actor,
          correlationId: context.correlationId,
          commandId: randomUUID(),
        });
        return answerFor(next);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        state = await this.cases.refresh(state);
        fresh = true;
      }
    }
    throw new ConcurrencyExhaustedError(caseId);
  }

  private async keyed(command: RunCaseActionCommand): Promise<CaseCommandAnswer> {
    const { caseId, action, payload, expectedRevision, context } = command;
    const key = context.idempotencyKey!;
    const fingerprint = actionFingerprint(this.vault, action, payload, expectedRevision);
    return withOptimisticRetry(caseId, async () => {
      const { state, history } = await this.cases.load(caseId);
      if (!state.exists) throw new CaseNotFoundError(caseId);
      const earlier = earlierAnswer(caseId, history, key, fingerprint);
      if (earlier === 'conflict') throw new IdempotencyKeyReusedError(key);
      if (earlier) return earlier;
      const { events, actor } = this.decideOn(command, state);
      const next = await this.cases.append(state, events, {
        actor,
        correlationId: context.correlationId,
        commandId: randomUUID(),
        idempotencyKey: key,
        requestHash: fingerprint.value,
      });
      return answerFor(next);
    });
  }
}
