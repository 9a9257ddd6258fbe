/** Reads of the loyalty view: one customer's standing, and the loyalty impact of after-sales service. */
import type { CustomerTier } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import type { CsatBand } from './loyalty-policy';
import { LOYALTY_POLICY, csatBand, tierFor } from './loyalty-policy';
import type { CaseOutcome } from './loyalty.projection';

const DAY_MS = 86_400_000;

interface CaseRow {
  case_id: string;
  merchant_id: string;
  opened_at: Date | string;
  outcome: CaseOutcome;
  closure_at: Date | string | null;
  csat: number | null;
  compensation_points: number;
  repurchased: boolean;
}

interface OrderRowDb {
  order_id: string;
  ordered_at: Date | string | null;
  amount: number | null;
  currency: string | null;
  paid: boolean;
  cancelled: boolean;
  refunded_at: Date | string | null;
  refunded_amount: number | null;
}

export interface LoyaltyCustomer {
  customerId: string;
  asOf: string;
  /** `refunded`: orders (counted in `count`) with a refund; their spend and points are net of it (docs/views.md). */
  orders: { count: number; cancelled: number; refunded: number; spend: Record<string, number>; lastOrderedAt: string | null };
  cases: { total: number; byOutcome: Record<CaseOutcome, number> };
  meanCsat: number | null;
  points: { total: number; orders: number; compensation: number; feedback: number };
  tier: CustomerTier;
  repurchaseAfterCase: { closedCases: number; repurchased: number; rate: number | null };
  churnRisk: { level: 'LOW' | 'MEDIUM' | 'HIGH'; reasons: string[] };
}

const ms = (v: Date | string) => new Date(v).getTime();

/** Cases with their repurchase flag: an order (not cancelled) placed within the window after closure. */
async function casesWithRepurchase(sql: SqlQueryable, where: string, params: unknown[], suffix: string): Promise<CaseRow[]> {
  const result = await sql.query<CaseRow>(
    `SELECT c.case_id, c.merchant_id, c.opened_at, c.outcome, c.closure_at, c.csat, c.compensation_points,
       EXISTS (SELECT 1 FROM rm_loyalty_orders${suffix} o
               WHERE o.customer_id = c.customer_id AND NOT o.cancelled AND c.closure_at IS NOT NULL
                 AND o.ordered_at > c.closure_at
                 AND o.ordered_at <= c.closure_at + ($${params.length + 1}::int * interval '1 day')) AS repurchased
     FROM rm_loyalty_cases${suffix} c WHERE ${where}`,
    [...params, LOYALTY_POLICY.repurchaseWindowDays],
  );
  return result.rows;
}

export async function readLoyaltyCustomer(sql: SqlQueryable, customerId: string, now: Date, suffix = ''): Promise<LoyaltyCustomer | undefined> {
  const cases = await casesWithRepurchase(sql, 'c.customer_id = $1', [customerId], suffix);
  const orders = (
    await sql.query<OrderRowDb>(
      `SELECT order_id, ordered_at, amount, currency, paid, cancelled, refunded_at, refunded_amount FROM rm_loyalty_orders${suffix} WHERE customer_id = $1`,
      [customerId],
    )
  ).rows;
  if (cases.length === 0 && orders.length === 0) return undefined;

  const live = orders.filter((o) => !o.cancelled);
  const spend: Record<string, number> = {};
  const net = (o: OrderRowDb) => Math.round(((o.amount ?? 0) - (o.refunded_amount ?? 0)) * 100) / 100;
  for (const o of live) if (o.amount !== null) spend[o.currency ?? 'UNKNOWN'] = Math.round(((spend[o.currency ?? 'UNKNOWN'] ?? 0) + net(o)) * 100) / 100;
  const orderPoints = live.filter((o) => o.paid).reduce((n, o) => n + Math.floor(net(o) * LOYALTY_POLICY.pointsPerCurrencyUnit), 0);
  const compensationPoints = cases.reduce((n, c) => n + c.compensation_points, 0);
  const rated = cases.filter((c) => c.csat !== null);
  const feedbackPoints = rated.length * LOYALTY_POLICY.feedbackPoints;
  const total = orderPoints + compensationPoints + feedbackPoints;
  const byOutcome: Record<CaseOutcome, number> = { OPEN: 0, RESOLVED: 0, REJECTED: 0, WITHDRAWN: 0 };
  for (const c of cases) byOutcome[c.outcome] += 1;
  const closed = cases.filter((c) => c.closure_at !== null);
  const repurchased = closed.filter((c) => c.repurchased).length;
  const lastOrdered = live
    .map((o) => o.ordered_at)
    .filter(Boolean)
    .map((d) => ms(d!))
    .sort((a, b) => b - a)[0];

  const lookback = now.getTime() - LOYALTY_POLICY.churnLookbackDays * DAY_MS;
  const reasons: string[] = [];
  if (cases.some((c) => c.csat !== null && c.csat <= 2 && ms(c.closure_at ?? c.opened_at) >= lookback)) reasons.push('LOW_SATISFACTION');
  if (cases.some((c) => c.outcome === 'REJECTED' && c.closure_at && ms(c.closure_at) >= lookback)) reasons.push('CASE_REJECTED');
  const recentCases = cases.filter((c) => ms(c.opened_at) >= now.getTime() - LOYALTY_POLICY.repeatedCasesDays * DAY_MS).length;
  if (recentCases >= LOYALTY_POLICY.repeatedCases) reasons.push('REPEATED_CASES');
  const windowClosed = closed.filter((c) => !c.repurchased && ms(c.closure_at!) + LOYALTY_POLICY.repurchaseWindowDays * DAY_MS <= now.getTime());
  const lastClosure = closed.map((c) => ms(c.closure_at!)).sort((a, b) => b - a)[0];
  if (lastClosure !== undefined && windowClosed.some((c) => ms(c.closure_at!) === lastClosure)) reasons.push('NO_REPURCHASE_AFTER_CASE');
  // A customer whose only orders were cancelled has no recent order either.
  if (orders.length > 0 && (lastOrdered === undefined || lastOrdered < lookback)) reasons.push('NO_RECENT_ORDER');

  return {
    customerId,
    asOf: now.toISOString(),
    orders: {
      count: live.length,
      cancelled: orders.length - live.length,
      refunded: live.filter((o) => o.refunded_at !== null).length,
      spend,
      lastOrderedAt: lastOrdered ? new Date(lastOrdered).toISOString() : null,
    },
    cases: { total: cases.length, byOutcome },
    meanCsat: rated.length ? Math.round((rated.reduce((n, c) => n + c.csat!, 0) / rated.length) * 10_000) / 10_000 : null,
    points: { total, orders: orderPoints, compensation: compensationPoints, feedback: feedbackPoints },
    tier: tierFor(total),
    repurchaseAfterCase: { closedCases: closed.length, repurchased, rate: closed.length ? Math.round((repurchased / closed.length) * 10_000) / 10_000 : null },
    churnRisk: { level: reasons.length === 0 ? 'LOW' : reasons.length === 1 ? 'MEDIUM' : 'HIGH', reasons },
  };
}

export interface ImpactRow {
  cases: number;
  repurchased: number;
  rate: number | null;
}

export interface LoyaltyImpact {
  asOf: string;
  windowDays: number;
  /** Closed cases whose window has run out, or that already led to a repurchase. */
  eligibleCases: number;
  overall: ImpactRow;
  byOutcome: Record<Exclude<CaseOutcome, 'OPEN'>, ImpactRow>;
  byCsatBand: Record<CsatBand, ImpactRow>;
}

export interface ImpactFilter {
  merchantId?: string;
  /** Closure between these instants (inclusive). */
  from?: string;
  to?: string;
}

function impactRow(rows: CaseRow[]): ImpactRow {
  const repurchased = rows.filter((r) => r.repurchased).length;
  return { cases: rows.length, repurchased, rate: rows.length ? Math.round((repurchased / rows.length) * 10_000) / 10_000 : null };
}

export async function readLoyaltyImpact(sql: SqlQueryable, filter: ImpactFilter, now: Date, suffix = ''): Promise<LoyaltyImpact> {
  const where = ['c.closure_at IS NOT NULL'];
  const params: unknown[] = [];
  if (filter.merchantId) {
    params.push(filter.merchantId);
    where.push(`c.merchant_id = $${params.length}`);
  }
  if (filter.from) {
    params.push(filter.from);
    where.push(`c.closure_at >= $${params.length}::timestamptz`);
  }
  if (filter.to) {
    params.push(filter.to);
    where.push(`c.closure_at <= $${params.length}::timestamptz`);
  }
  const rows = await casesWithRepurchase(sql, where.join(' AND '), params, suffix);
  const windowMs = LOYALTY_POLICY.repurchaseWindowDays * DAY_MS;
  const eligible = rows.filter((r) => r.repurchased || ms(r.closure_at!) + windowMs <= now.getTime());
  const outcomeOf = (o: CaseOutcome) => eligible.filter((r) => r.outcome === o);
  const bandOf = (b: CsatBand) => eligible.filter((r) => csatBand(r.csat) === b);
  return {
    asOf: now.toISOString(),
    windowDays: LOYALTY_POLICY.repurchaseWindowDays,
    eligibleCases: eligible.length,
    overall: impactRow(eligible),
    byOutcome: { RESOLVED: impactRow(outcomeOf('RESOLVED')), REJECTED: impactRow(outcomeOf('REJECTED')), WITHDRAWN: impactRow(outcomeOf('WITHDRAWN')) },
    byCsatBand: { LOW: impactRow(bandOf('LOW')), NEUTRAL: impactRow(bandOf('NEUTRAL')), HIGH: impactRow(bandOf('HIGH')), NONE: impactRow(bandOf('NONE')) },
  };
}
