/**
 * `aftersales what-if --policy FILE [--at T]`: replays every case's history under another SLA policy and reports
 * how many breaches and escalations there would have been, per level and team, next to the real figures (the
 * same computation under the terms recorded on each case, and the escalations actually recorded).
 */
import { readFileSync } from 'node:fs';
import type { CaseState, SlaPolicy } from '@aftersales/case-domain';
import { actualSlaOutcome, evolve, initialCaseState, slaPolicyProblems, whatIfSlaOutcome } from '@aftersales/case-domain';
import { toDomainEvent } from '@aftersales/case-application';
import type { EventStore } from '@aftersales/event-store';
import { drainFeedless } from './feed-walk';

interface Tally {
  cases: number;
  firstResponseBreaches: number;
  resolutionBreaches: number;
  escalatedL1: number;
  escalatedL2: number;
}

const empty = (): Tally => ({ cases: 0, firstResponseBreaches: 0, resolutionBreaches: 0, escalatedL1: 0, escalatedL2: 0 });

export async function whatIfCommand(store: EventStore, policyFile: string, at: Date, write: (line: string) => void): Promise<number> {
  const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as SlaPolicy;
  const problems = slaPolicyProblems(policy);
  if (problems.length) throw new Error(`policy ${policyFile}: ${problems.join('; ')}`);
  const states = new Map<string, CaseState>();
  await drainFeedless(store, async (page) => {
    for (const event of page) {
      if (!event.streamId.startsWith('case-')) continue;
      const id = event.streamId.slice(5);
      states.set(id, evolve(states.get(id) ?? initialCaseState(id), toDomainEvent(event)));
    }
  });
  const byTeam = new Map<string, { actual: Tally; whatIf: Tally; recorded: { L1: number; L2: number; L3: number } }>();
  for (const state of states.values()) {
    if (!state.exists) continue;
    const team = state.assignee?.team ?? '(unassigned)';
    const row = byTeam.get(team) ?? { actual: empty(), whatIf: empty(), recorded: { L1: 0, L2: 0, L3: 0 } };
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
  const report = {
    policy: { id: policy.id, version: policy.version },
    at: at.toISOString(),
    teams: Object.fromEntries([...byTeam].sort(([a], [b]) => a.localeCompare(b))),
  };
  write(JSON.stringify(report, null, 2));
  return 0;
}
