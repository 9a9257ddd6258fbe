/** Aggregates of the satisfaction view, grouped by one dimension and filtered. */
import type { SqlQueryable } from '@aftersales/sql-client';

export const SATISFACTION_DIMENSIONS = {
  merchant: 'merchant_id',
  agent: 'agent_id',
  team: 'team',
  type: 'case_type',
  channel: 'channel',
  day: 'opened_day',
} as const;
export type SatisfactionDimension = keyof typeof SATISFACTION_DIMENSIONS;

export interface SatisfactionFilter {
  groupBy: SatisfactionDimension;
  merchantId?: string;
  agentId?: string;
  team?: string;
  type?: string;
  channel?: string;
  /** Inclusive range of the day the case was opened (YYYY-MM-DD). */
  from?: string;
  to?: string;
}

export interface SatisfactionGroup {
  key: string | null;
  cases: number;
  rated: number;
  meanCsat: number | null;
  satisfiedShare: number | null;
  meanNps: number | null;
  firstResponseMinutes: { median: number | null; p90: number | null };
  resolutionMinutes: { median: number | null; p90: number | null };
  firstContactResolutionRate: number | null;
  reopenRate: number | null;
  complaintResolutionRate: number | null;
  slaCompliance: number | null;
  /** Follow-up visits (回访) of the group's cases: completion = recorded ÷ scheduled; reached and recurrence ÷ recorded. */
  followUp: {
    scheduled: number;
    recorded: number;
    completionRate: number | null;
    reachedRate: number | null;
    recurrenceRate: number | null;
  };
}

const ratio = (part: unknown, whole: unknown): number | null => (Number(whole) > 0 ? round(Number(part) / Number(whole)) : null);

const round = (v: unknown, places = 4): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 10 ** places) / 10 ** places);

/** The filter as a SQL condition and its parameters. */
function whereOf(filter: SatisfactionFilter): { where: string[]; params: unknown[] } {
  const where: string[] = ['TRUE'];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.merchantId) add('merchant_id = ?', filter.merchantId);
  if (filter.agentId) add('agent_id = ?', filter.agentId);
  if (filter.team) add('team = ?', filter.team);
  if (filter.type) add('case_type = ?', filter.type);
  if (filter.channel) add('channel = ?', filter.channel);
  if (filter.from) add('opened_day >= ?::date', filter.from);
  if (filter.to) add('opened_day <= ?::date', filter.to);
  return { where, params };
}

export async function readSatisfaction(sql: SqlQueryable, filter: SatisfactionFilter, suffix = ''): Promise<SatisfactionGroup[]> {
  const column = SATISFACTION_DIMENSIONS[filter.groupBy];
  const { where, params } = whereOf(filter);
  const result = await sql.query<Record<string, unknown>>(
    `SELECT ${column === 'opened_day' ? "to_char(opened_day, 'YYYY-MM-DD')" : column} AS key,
       count(*) AS cases,
       count(csat) AS rated,
       avg(csat) AS mean_csat,
       avg(CASE WHEN csat IS NULL THEN NULL WHEN csat >= 4 THEN 1.0 ELSE 0.0 END) AS satisfied_share,
       avg(nps) AS mean_nps,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_minutes) AS frt_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_minutes) AS frt_p90,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_minutes) AS rt_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_minutes) AS rt_p90,
       avg(CASE WHEN first_contact_resolution IS NULL THEN NULL WHEN first_contact_resolution THEN 1.0 ELSE 0.0 END) AS fcr,
       avg(CASE WHEN resolved OR reopened THEN (CASE WHEN reopened THEN 1.0 ELSE 0.0 END) END) AS reopen_rate,
       avg(CASE WHEN case_type = 'COMPLAINT' AND ended THEN (CASE WHEN resolved THEN 1.0 ELSE 0.0 END) END) AS complaint_resolution,
       avg(CASE WHEN sla_met IS NULL THEN NULL WHEN sla_met THEN 1.0 ELSE 0.0 END) AS sla_compliance,
       sum(follow_ups_scheduled) AS fu_scheduled,
       sum(follow_ups_recorded) AS fu_recorded,
       sum(follow_ups_reached) AS fu_reached,
       sum(follow_ups_recurred) AS fu_recurred
     FROM rm_satisfaction_cases${suffix}
     WHERE ${where.join(' AND ')}
     GROUP BY 1 ORDER BY 1 NULLS LAST`,
    params,
  );
  return result.rows.map(groupOf);
}

function groupOf(r: Record<string, unknown>): SatisfactionGroup {
  return {
    key: (r.key as string | null) ?? null,
    cases: Number(r.cases),
    rated: Number(r.rated),
    meanCsat: round(r.mean_csat),
    satisfiedShare: round(r.satisfied_share),
    meanNps: round(r.mean_nps),
    firstResponseMinutes: { median: round(r.frt_median, 2), p90: round(r.frt_p90, 2) },
    resolutionMinutes: { median: round(r.rt_median, 2), p90: round(r.rt_p90, 2) },
    firstContactResolutionRate: round(r.fcr),
    reopenRate: round(r.reopen_rate),
    complaintResolutionRate: round(r.complaint_resolution),
    slaCompliance: round(r.sla_compliance),
    followUp: {
      scheduled: Number(r.fu_scheduled),
      recorded: Number(r.fu_recorded),
      completionRate: ratio(r.fu_recorded, r.fu_scheduled),
      reachedRate: ratio(r.fu_reached, r.fu_recorded),
      recurrenceRate: ratio(r.fu_recurred, r.fu_recorded),
    },
  };
}
