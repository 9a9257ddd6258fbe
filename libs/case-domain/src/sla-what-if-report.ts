/**
 * The what-if report: every case's SLA outcome under the terms recorded on it and under another policy, tallied
 * per team, next to the escalations actually recorded. Pure: the caller folds the cases (the CLI from the store's
 * feed, the API the same way) and passes their states.
 */
import type { CaseState } from './case-state';
import type { SlaPolicy } from './sla-policy';
import { actualSlaOutcome, whatIfSlaOutcome } from './sla-what-if';

export interface WhatIfTally {
  cases: number;
  firstResponseBreaches: number;
  resolutionBreaches: number;
  escalatedL1: number;
  escalatedL2: number;
}

export interface WhatIfTeamRow {
  /** Under the terms recorded on each case when it opened. */
  actual: WhatIfTally;
  /** Had the other policy applied. */
  whatIf: WhatIfTally;
  /** Escalations the cases really went through. */
  recorded: { L1: number; L2: number; L3: number };
}

export interface WhatIfReport {
  policy: { id: string; version: number };
  at: string;
  /** Per team (`(unassigned)` for cases nobody took), in name order. */
  teams: Record<string, WhatIfTeamRow>;
}

export const UNASSIGNED_TEAM = '(unassigned)';

const emptyTally = (): WhatIfTally => ({ cases: 0, firstResponseBreaches: 0, resolutionBreaches: 0, escalatedL1: 0, escalatedL2: 0 });

export function whatIfReport(states: Iterable<CaseState>, policy: SlaPolicy, at: Date): WhatIfReport {
  const byTeam = new Map<string, WhatIfTeamRow>();
  for (const state of states) {
    if (!state.exists) continue;
    const team = state.assignee?.team ?? UNASSIGNED_TEAM;
    const row = byTeam.get(team) ?? { actual: emptyTally(), whatIf: emptyTally(), recorded: { L1: 0, L2: 0, L3: 0 } };
    for (const [tally, outcome] of [
      [row.actual, actualSlaOutcome(state, at, policy.warningRatio)],
      [row.whatIf, whatIfSlaOutcome(state, policy, at)],
    ] as const) {
      tally.cases += 1;
      tally.firstResponseBreaches += outcome.firstResponseBreached ? 1 : 0;
      tally.resolutionBreaches += outcome.resolutionBreached ? 1 : 0;
      tally.escalatedL1 += outcome.firstResponseBreached ? 1 : 0;
      tally.escalatedL2 += outcome.resolutionBreached ? 1 : 0;
    }
    for (const e of state.escalations) if (e.level !== 'L0') row.recorded[e.level] += 1;
    byTeam.set(team, row);
  }
  return {
    policy: { id: policy.id, version: policy.version },
    at: at.toISOString(),
    teams: Object.fromEntries([...byTeam].sort(([a], [b]) => a.localeCompare(b))),
  };
}
