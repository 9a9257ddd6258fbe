/**
 * The SLA watch's command: check one clock of one case and record a warning or breach if one is due. Decided by
 * the aggregate on fresh state and appended with the expected revision, so two watchers sending the same
 * observation record it once: the loser of the race reloads, finds it recorded, and decides nothing.
 */
import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Actor, Clock, SlaClockName, SlaPolicy } from '@aftersales/case-domain';
import { decide } from '@aftersales/case-domain';
import { CaseRepository } from '../case-repository';
import { CLOCK, SLA_POLICY } from '../tokens';
import { withOptimisticRetry } from './decision-loop';
import { PerCaseQueue } from './per-case-queue';

export const SLA_WATCH_ACTOR: Actor = { type: 'system', id: 'sla-watch' };

export class ObserveSlaCommand {
  constructor(
    readonly caseId: string,
    readonly observation: 'record-sla-warning' | 'record-sla-breach',
    readonly clock: SlaClockName,
    readonly correlationId: string = randomUUID(),
  ) {}
}

/** Event types recorded by this observation; empty when nothing was due. */
export type ObservationResult = string[];

@CommandHandler(ObserveSlaCommand)
export class ObserveSlaHandler implements ICommandHandler<ObserveSlaCommand, ObservationResult> {
  constructor(
    private readonly cases: CaseRepository,
    private readonly perCase: PerCaseQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
  ) {}

  async execute(command: ObserveSlaCommand): Promise<ObservationResult> {
    return this.perCase.run(command.caseId, () => this.observe(command));
  }

  private async observe({ caseId, observation, clock, correlationId }: ObserveSlaCommand): Promise<ObservationResult> {
    return withOptimisticRetry(caseId, async () => {
      const { state } = await this.cases.load(caseId);
      const events = decide({ type: observation, caseId, actor: SLA_WATCH_ACTOR, payload: { clock } }, state, {
        clock: this.clock,
        slaPolicy: this.slaPolicy,
      });
      if (events.length === 0) return [];
      await this.cases.append(state, events, { actor: SLA_WATCH_ACTOR, correlationId, commandId: randomUUID() });
      return events.map((e) => e.type);
    });
  }
}
