/**
 * The SLA as seen at a moment: time left, at risk, breached. Derived, never stored. Time left and the share of
 * a target elapsed count business time in the calendar recorded on the case (wall-clock time without one).
 */
import type { CaseState } from './case-state';
import type { SlaTime } from './sla-time';
import { slaTimeIn } from './sla-time';

export interface SlaClockReading {
  dueAt: string;
  metAt?: string;
  /** Business milliseconds left at `asOf` (negative once overdue); absent once met. */
  msLeft?: number;
  atRisk: boolean;
  breached: boolean;
}

export interface SlaReading {
  paused: boolean;
  firstResponse: SlaClockReading;
  resolution: SlaClockReading;
}

function reading(
  time: SlaTime,
  startIso: string,
  dueIso: string,
  metIso: string | undefined,
  asOfMs: number,
  warningRatio: number,
  frozenAt?: string,
): SlaClockReading {
  const due = Date.parse(dueIso);
  if (metIso) return { dueAt: dueIso, metAt: metIso, atRisk: false, breached: Date.parse(metIso) > due };
  const atIso = frozenAt ?? new Date(asOfMs).toISOString();
  const at = Date.parse(atIso);
  const elapsedRatio = time.between(startIso, atIso) / Math.max(1, time.between(startIso, dueIso));
  return { dueAt: dueIso, msLeft: time.between(atIso, dueIso), atRisk: at <= due && elapsedRatio >= warningRatio, breached: at > due };
}

/**
 * Reads both SLA clocks at `asOf`. While the case awaits the customer the resolution clock is frozen at the
 * moment it paused (its due time moves on when the customer answers).
 */
export function readSla(state: Pick<CaseState, 'openedAt' | 'sla'>, asOf: Date, warningRatio: number): SlaReading {
  const asOfMs = asOf.getTime();
  const s = state.sla;
  const resolutionMet = s.stoppedAt;
  const time = slaTimeIn(s.calendar);
  return {
    paused: s.pausedSince !== undefined && !resolutionMet,
    firstResponse: reading(time, state.openedAt, s.firstResponseDueAt, s.firstRespondedAt, asOfMs, warningRatio),
    resolution: reading(time, state.openedAt, s.resolutionDueAt, resolutionMet, asOfMs, warningRatio, s.pausedSince),
  };
}
