/**
 * `aftersales what-if --policy FILE [--at T]`: replays every case's history under another SLA policy and reports
 * how many breaches and escalations there would have been, per level and team, next to the real figures (the
 * same computation under the terms recorded on each case, and the escalations actually recorded). The tally is
 * the domain's `whatIfReport`; this command folds the cases from the store and reads the policy file.
 */
import { readFileSync } from 'node:fs';
import type { CaseState, SlaPolicy } from '@aftersales/case-domain';
import { evolve, initialCaseState, slaPolicyProblems, whatIfReport } from '@aftersales/case-domain';
import { toDomainEvent } from '@aftersales/case-application';
import type { EventStore } from '@aftersales/event-store';
import { walkWholeFeed } from './feed-walk';

export async function whatIfCommand(store: EventStore, policyFile: string, at: Date, write: (line: string) => void): Promise<number> {
  const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as SlaPolicy;
  const problems = slaPolicyProblems(policy);
  if (problems.length) throw new Error(`policy ${policyFile}: ${problems.join('; ')}`);
  const states = new Map<string, CaseState>();
  await walkWholeFeed(store, async (page) => {
    for (const event of page) {
      if (!event.streamId.startsWith('case-')) continue;
      const id = event.streamId.slice(5);
      states.set(id, evolve(states.get(id) ?? initialCaseState(id), toDomainEvent(event)));
    }
  });
  write(JSON.stringify(whatIfReport(states.values(), policy, at), null, 2));
  return 0;
}
