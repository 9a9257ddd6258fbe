/**
 * The follow-up policy: how many days after a closure its follow-up visit (回访) is due, by default and per case
 * type. The days applied are recorded on the `FollowUpScheduled` event, so a later policy change never moves a
 * follow-up already scheduled.
 */
import type { CaseType } from './case-vocabulary';
import { CASE_TYPES } from './case-vocabulary';

export interface FollowUpPolicy {
  defaultDays: number;
  byType: Partial<Record<CaseType, number>>;
}

export const DEFAULT_FOLLOW_UP_DAYS = 3;
/** The longest a follow-up may be put off. */
export const MAX_FOLLOW_UP_DAYS = 365;

export const DEFAULT_FOLLOW_UP_POLICY: FollowUpPolicy = { defaultDays: DEFAULT_FOLLOW_UP_DAYS, byType: {} };

const DAY_MS = 86_400_000;

export function followUpDaysFor(policy: FollowUpPolicy, caseType: CaseType): number {
  return policy.byType[caseType] ?? policy.defaultDays;
}

/** When the follow-up of a closure at `closedAt` falls due: whole calendar days (24 h each) later. */
export function followUpDueAt(closedAt: string, days: number): string {
  return new Date(Date.parse(closedAt) + days * DAY_MS).toISOString();
}

function validDays(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_FOLLOW_UP_DAYS;
}

/** What is wrong with a policy, one sentence per problem (empty when it is valid). */
export function followUpPolicyProblems(policy: FollowUpPolicy): string[] {
  const problems: string[] = [];
  if (!validDays(policy.defaultDays)) problems.push(`the default must be a whole number of days from 0 to ${MAX_FOLLOW_UP_DAYS}, got ${policy.defaultDays}`);
  for (const [type, days] of Object.entries(policy.byType)) {
    if (!(CASE_TYPES as readonly string[]).includes(type)) problems.push(`'${type}' is not a case type (${CASE_TYPES.join(', ')})`);
    else if (!validDays(days)) problems.push(`${type} must be a whole number of days from 0 to ${MAX_FOLLOW_UP_DAYS}, got ${days}`);
  }
  return problems;
}
