/**
 * What-if: the SLA outcome of a case's real history under another policy. The targets of the other policy
 * (priority × tier) run from the same opening, the same pauses move the resolution due time, and the same
 * responses and resolutions meet them (or not). Reopened cases keep the real resolution target after reopening.
 */
import type { CaseState } from './case-state';
import type { SlaPolicy } from './sla-policy';
import { addMinutes, slaTargetFor } from './sla-policy';
import { readSla } from './sla-status';

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
  const resolutionDueAt = reopened
    ? state.sla.resolutionDueAt
    : new Date(Date.parse(addMinutes(state.openedAt, target.resolutionMinutes)) + state.sla.pausedMsTotal).toISOString();
  return outcome(
    { openedAt: state.openedAt, sla: { ...state.sla, firstResponseDueAt: addMinutes(state.openedAt, target.firstResponseMinutes), resolutionDueAt } },
    asOf,
    policy.warningRatio,
  );
}
