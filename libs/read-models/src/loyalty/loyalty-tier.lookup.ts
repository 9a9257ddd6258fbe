/**
 * The customer's tier as the loyalty view has it, for opening a case: the points of `readLoyaltyCustomer`
 * (paid orders not cancelled, net of refunds; compensation, feedback) summed in one query, without the rest of the standing.
 * A customer with neither orders nor cases in the view is not known there (undefined).
 */
import type { CustomerTier } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import { LOYALTY_POLICY, tierFor } from './loyalty-policy';

/** PostgreSQL's undefined_table: the loyalty view has not been created yet, so nobody is known in it. */
const UNDEFINED_TABLE = '42P01';

export class SqlLoyaltyTierLookup {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly suffix = '',
  ) {}

  async tierOf(customerId: string): Promise<CustomerTier | undefined> {
    const orders = `rm_loyalty_orders${this.suffix}`;
    const cases = `rm_loyalty_cases${this.suffix}`;
    let row: Record<string, string | number | null> | undefined;
    try {
      const result = await this.sql.query<Record<string, string | number | null>>(
        `SELECT
           (SELECT count(*) FROM ${orders} WHERE customer_id = $1) AS orders,
           (SELECT COALESCE(sum(floor(GREATEST(COALESCE(amount, 0) - COALESCE(refunded_amount, 0), 0) * $2::double precision)), 0) FROM ${orders}
             WHERE customer_id = $1 AND paid AND NOT cancelled) AS order_points,
           (SELECT count(*) FROM ${cases} WHERE customer_id = $1) AS cases,
           (SELECT COALESCE(sum(compensation_points), 0) FROM ${cases} WHERE customer_id = $1) AS compensation_points,
           (SELECT count(*) FROM ${cases} WHERE customer_id = $1 AND csat IS NOT NULL) AS rated`,
        [customerId, LOYALTY_POLICY.pointsPerCurrencyUnit],
      );
      row = result.rows[0];
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return undefined;
      throw error;
    }
    if (!row || Number(row.orders) + Number(row.cases) === 0) return undefined;
    const points = Number(row.order_points) + Number(row.compensation_points) + Number(row.rated) * LOYALTY_POLICY.feedbackPoints;
    return tierFor(points);
  }
}
