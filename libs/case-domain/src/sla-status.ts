/** The SLA as seen at a moment: time left, at risk, breached. Derived, never stored. */
import type { CaseState } from './case-state';

export interface SlaClockReading {
  dueAt: string;
  metAt?: string;
  /** Milliseconds left at `asOf` (negative once overdue); absent once met. */
  msLeft?: number;
  atRisk: boolean;
  breached: boolean;
}

export interface SlaReading {
  paused: boolean;
  firstResponse: SlaClockReading;
  resolution: SlaClockReading;
}

function reading(startIso: string, dueIso: string, metIso: string | undefined, asOfMs: number, warningRatio: number, frozenAt?: string): SlaClockReading {
  const due = Date.parse(dueIso);
  if (metIso) return { dueAt: dueIso, metAt: metIso, atRisk: false, breached: Date.parse(metIso) > due };
  const at = frozenAt ? Date.parse(frozenAt) : asOfMs;
  const start = Date.parse(startIso);
  const elapsedRatio = (at - start) / Math.max(1, due - start);
  return { dueAt: dueIso, msLeft: due - at, atRisk: at <= due && elapsedRatio >= warningRatio, breached: at > due };
}

/**
 * Reads both SLA clocks at `asOf`. While the case awaits the customer the resolution clock is frozen at the
 * moment it paused (its due time moves on when the customer answers).
 */
export function readSla(state: Pick<CaseState, 'openedAt' | 'sla'>, asOf: Date, warningRatio: number): SlaReading {
  const asOfMs = asOf.getTime();
  const s = state.sla;
  const resolutionMet = s.stoppedAt;
  return {
    paused: s.pausedSince !== undefined && !resolutionMet,
    firstResponse: reading(state.openedAt, s.firstResponseDueAt, s.firstRespondedAt, asOfMs, warningRatio),
    resolution: reading(state.openedAt, s.resolutionDueAt, resolutionMet, asOfMs, warningRatio, s.pausedSince),
  };
}
