/**
 * FOLLOW_UP_DAYS and FOLLOW_UP_DAYS_BY_TYPE: how many days after a closure its follow-up visit (回访) falls due,
 * by default and per case type (e.g. `REPAIR=7,WARRANTY=14`). Validated with the rest of the configuration.
 */
import type { CaseType, FollowUpPolicy } from '@aftersales/case-domain';
import { CASE_TYPES, DEFAULT_FOLLOW_UP_DAYS, MAX_FOLLOW_UP_DAYS } from '@aftersales/case-domain';

export const FOLLOW_UP_VARIABLES = ['FOLLOW_UP_DAYS', 'FOLLOW_UP_DAYS_BY_TYPE'] as const;

const DAYS = /^\s*\d{1,4}\s*$/;

function days(raw: string): number | undefined {
  const value = DAYS.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(value) && value <= MAX_FOLLOW_UP_DAYS ? value : undefined;
}

function parseByType(raw: string, problems: string[]): FollowUpPolicy['byType'] {
  const byType: FollowUpPolicy['byType'] = {};
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [type, value, ...rest] = entry.split('=').map((p) => p.trim());
    if (!(CASE_TYPES as readonly string[]).includes(type) || value === undefined || rest.length) {
      problems.push(`FOLLOW_UP_DAYS_BY_TYPE entry '${entry}' must be TYPE=days with a type of ${CASE_TYPES.join(', ')}`);
      continue;
    }
    const parsed = days(value);
    if (parsed === undefined) {
      problems.push(`FOLLOW_UP_DAYS_BY_TYPE ${type} must be a whole number of days from 0 to ${MAX_FOLLOW_UP_DAYS}, got '${value}'`);
      continue;
    }
    if (byType[type as CaseType] !== undefined) problems.push(`FOLLOW_UP_DAYS_BY_TYPE names ${type} twice`);
    byType[type as CaseType] = parsed;
  }
  return byType;
}

export function parseFollowUpPolicy(env: NodeJS.ProcessEnv, problems: string[]): FollowUpPolicy {
  let defaultDays = DEFAULT_FOLLOW_UP_DAYS;
  const raw = env.FOLLOW_UP_DAYS;
  if (raw !== undefined && raw.trim() !== '') {
    const parsed = days(raw);
    if (parsed === undefined) problems.push(`FOLLOW_UP_DAYS must be a whole number of days from 0 to ${MAX_FOLLOW_UP_DAYS}, got '${raw}'`);
    else defaultDays = parsed;
  }
  const rawByType = env.FOLLOW_UP_DAYS_BY_TYPE;
  const byType = rawByType !== undefined && rawByType.trim() !== '' ? parseByType(rawByType, problems) : {};
  return { defaultDays, byType };
}
