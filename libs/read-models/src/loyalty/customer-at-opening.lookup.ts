/**
 * What an opening reads from the loyalty view about its customer, in one statement: the tier (as
 * `SqlLoyaltyTierLookup` computes it) and the earlier cases about the order (as `SqlPriorCaseLookup` finds them).
 * On the embedded store every statement costs a fixed share of its single connection, so two lookups per opening
 * become one. Before the view exists the customer is unknown there and has no earlier cases.
 */
import type { CustomerTier } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import { LOYALTY_POLICY } from './loyalty-policy';
import type { TierFigures } from './loyalty-tier.lookup';
import { TIER_FIGURES, UNDEFINED_TABLE, tierFiguresOf, tierOfFigures } from './loyalty-tier.lookup';
import type { PriorCaseRow } from './prior-cases.lookup';
import { MAX_PRIOR_CASES } from './prior-cases.lookup';

export interface CustomerAtOpeningRow {
  tier: CustomerTier | undefined;
  priorCases: PriorCaseRow[];
}

export class SqlCustomerAtOpeningLookup {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly suffix = '',
  ) {}

  async customerAtOpening(customerId: string, orderId: string): Promise<CustomerAtOpeningRow> {
    // Earlier cases as [case id, opened at in epoch milliseconds], oldest first.
    const prior = `SELECT json_agg(json_build_array(p.case_id, floor(extract(epoch FROM p.opened_at) * 1000)) ORDER BY p.opened_at, p.case_id)
      FROM (SELECT case_id, opened_at FROM rm_loyalty_cases${this.suffix} WHERE customer_id = $1 AND state->>'orderId' = $3
            ORDER BY opened_at, case_id LIMIT ${MAX_PRIOR_CASES}) p`;
    try {
      const result = await this.sql.query<TierFigures & { prior: Array<[string, number]> | null }>(
        `SELECT ${TIER_FIGURES}, (${prior}) AS prior FROM ${tierFiguresOf(this.suffix)}`,
        [customerId, LOYALTY_POLICY.pointsPerCurrencyUnit, orderId],
      );
      const row = result.rows[0];
      const priorCases = (row?.prior ?? []).map(([caseId, openedAt]) => ({ caseId, customerId, orderId, openedAt: new Date(Number(openedAt)).toISOString() }));
      return { tier: tierOfFigures(row), priorCases };
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return { tier: undefined, priorCases: [] };
      throw error;
    }
  }
}
