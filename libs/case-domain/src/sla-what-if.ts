/**
 * What-if: the SLA outcome of a case's real history under another policy. The targets of the other policy
 * (priority × tier) run from the same opening, the same pauses move the resolution due time, and the same
 * responses and resolutions meet them (or not). Reopened cases keep the real resolution target after reopening.
 */
import type { CaseState } from './case-state';
import type { SlaPolicy } from './sla-policy';
import { slaTargetFor } from './sla-policy';
import { readSla } from './sla-status';
import { slaTimeIn } from './sla-time';

const MINUTE = 60_000;

export interface SlaOutcome {
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  /** The level automatic escalation would have reached for these breaches (first response → L1, resolution → L2). */
  level: 'L0' | 'L1' | 'L2';
}

function outcome(state: Pick<CaseState, 'openedAt' | 'sla'>, asOf: Date, warningRatio: number): SlaOutcome {
  const reading = readSla(state, asOf, warningRatio);
  const firstResponseBreached = reading.firstResponse.breached;
  const resolutionBreached = reading.resolution.breached;
  return { firstResponseBreached, resolutionBreached, level: resolutionBreached ? 'L2' : firstResponseBreached ? 'L1' : 'L0' };
}

/** The outcome under the terms recorded on the case. */
export function actualSlaOutcome(state: CaseState, asOf: Date, warningRatio: number): SlaOutcome {
  return outcome(state, asOf, warningRatio);
}

/** The outcome had `policy` applied when the case opened. */
export function whatIfSlaOutcome(state: CaseState, policy: SlaPolicy, asOf: Date): SlaOutcome {
  const target = slaTargetFor(policy, state.priority, state.customerTier);
  const reopened = state.reopenCount > 0;
  // Counted in the calendar recorded on the case (24×7 without one); paused business time does not count.
  const time = slaTimeIn(state.sla.calendar);
  const pausedMs = state.sla.pausedBusinessMsTotal ?? state.sla.pausedMsTotal;
  const resolutionDueAt = reopened ? state.sla.resolutionDueAt : time.add(state.openedAt, target.resolutionMinutes * MINUTE + pausedMs);
  return outcome(
    { openedAt: state.openedAt, sla: { ...state.sla, firstResponseDueAt: time.add(state.openedAt, target.firstResponseMinutes * MINUTE), resolutionDueAt } },
    asOf,
    policy.warningRatio,
  );
}
