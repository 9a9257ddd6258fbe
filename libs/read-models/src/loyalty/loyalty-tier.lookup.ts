/**
 * The customer's tier as the loyalty view has it, for opening a case: the points of `readLoyaltyCustomer`
 * (paid orders not cancelled, net of refunds; compensation, feedback) summed in one query, without the rest of the standing.
 * A customer with neither orders nor cases in the view is not known there (undefined).
 */
import type { CustomerTier } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import { LOYALTY_POLICY, tierFor } from './loyalty-policy';

/** PostgreSQL's undefined_table: the loyalty view has not been created yet, so nobody is known in it. */
export const UNDEFINED_TABLE = '42P01';

/** The figures a tier is computed from, as `tierFiguresOf` selects them. */
export type TierFigures = Record<'orders' | 'order_points' | 'cases' | 'compensation_points' | 'rated', string | number | null>;

/**
 * FROM items giving customer $1's tier figures (`o.orders`, `o.order_points`, `c.cases`, `c.compensation_points`,
 * `c.rated`) with $2 points per currency unit: one aggregate over the customer's orders, one over their cases.
 */
export function tierFiguresOf(suffix: string): string {
  return `(SELECT count(*) AS orders,
            COALESCE(sum(floor(GREATEST(COALESCE(amount, 0) - COALESCE(refunded_amount, 0), 0) * $2::double precision)) FILTER (WHERE paid AND NOT cancelled), 0) AS order_points
          FROM rm_loyalty_orders${suffix} WHERE customer_id = $1) o,
         (SELECT count(*) AS cases, COALESCE(sum(compensation_points), 0) AS compensation_points, count(csat) AS rated
          FROM rm_loyalty_cases${suffix} WHERE customer_id = $1) c`;
}

export const TIER_FIGURES = 'o.orders, o.order_points, c.cases, c.compensation_points, c.rated';

/** The tier of those figures; undefined for a customer with neither orders nor cases in the view. */
export function tierOfFigures(row: TierFigures | undefined): CustomerTier | undefined {
  if (!row || Number(row.orders) + Number(row.cases) === 0) return undefined;
  const points = Number(row.order_points) + Number(row.compensation_points) + Number(row.rated) * LOYALTY_POLICY.feedbackPoints;
  return tierFor(points);
}

export class SqlLoyaltyTierLookup {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly suffix = '',
  ) {}

  async tierOf(customerId: string): Promise<CustomerTier | undefined> {
    try {
      const result = await this.sql.query<TierFigures>(`SELECT ${TIER_FIGURES} FROM ${tierFiguresOf(this.suffix)}`, [
        customerId,
        LOYALTY_POLICY.pointsPerCurrencyUnit,
      ]);
      return tierOfFigures(result.rows[0]);
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return undefined;
      throw error;
    }
  }
}
