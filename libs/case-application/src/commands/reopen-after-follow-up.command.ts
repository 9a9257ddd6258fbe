/**
 * The follow-up process manager's command: reopen a case whose follow-up found the issue recurred. Decided by the
 * aggregate on fresh state and appended with the loaded revision as expected revision; the reopening is caused
 * by the FollowUpRecorded event and carries its correlation id. The aggregate reopens only a case still closed
 * on that follow-up, so a redelivered or raced command records it once: the loser reloads and decides nothing.
 */
import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import { FOLLOW_UP_ACTOR, decide } from '@aftersales/case-domain';
import { CaseRepository } from '../case-repository';
import { CLOCK, SLA_POLICY } from '../tokens';
import { withOptimisticRetry } from './decision-loop';
import { PerCaseQueue } from './per-case-queue';

export class ReopenAfterFollowUpCommand {
  constructor(
    readonly caseId: string,
    /** The follow-up (its sequence on the case) that found the issue recurred. */
    readonly sequence: number,
    /** The FollowUpRecorded event: the cause of the reopening, and the conversation it belongs to. */
    readonly cause: { eventId: string; correlationId?: string },
  ) {}
}

/** Event types recorded: `['CaseReopened']`, or empty when there was nothing (left) to reopen. */
export type ReopenAfterFollowUpResult = string[];

@CommandHandler(ReopenAfterFollowUpCommand)
export class ReopenAfterFollowUpHandler implements ICommandHandler<ReopenAfterFollowUpCommand, ReopenAfterFollowUpResult> {
  constructor(
    private readonly cases: CaseRepository,
    private readonly perCase: PerCaseQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
  ) {}

  async execute(command: ReopenAfterFollowUpCommand): Promise<ReopenAfterFollowUpResult> {
    return this.perCase.run(command.caseId, () => this.reopen(command));
  }

  private async reopen({ caseId, sequence, cause }: ReopenAfterFollowUpCommand): Promise<ReopenAfterFollowUpResult> {
    return withOptimisticRetry(caseId, async () => {
      const { state } = await this.cases.load(caseId);
      const events = decide({ type: 'reopen-after-follow-up', caseId, actor: FOLLOW_UP_ACTOR, payload: { sequence } }, state, {
        clock: this.clock,
        slaPolicy: this.slaPolicy,
      });
      if (events.length === 0) return [];
      await this.cases.append(state, events, {
        actor: FOLLOW_UP_ACTOR,
        correlationId: cause.correlationId ?? randomUUID(),
        commandId: randomUUID(),
        causationId: cause.eventId,
      });
      return events.map((e) => e.type);
    });
  }
}
