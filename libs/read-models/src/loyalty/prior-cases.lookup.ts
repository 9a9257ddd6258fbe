/**
 * A customer's earlier cases about one order, for triage's repeat-complaint finding when a case opens: read
 * from the loyalty view's case table (every case of the customer, with its folded state). It trails the store
 * by the projection's lag; before the view exists, nobody has earlier cases.
 */
import type { SqlQueryable } from '@aftersales/sql-client';

import { UNDEFINED_TABLE } from './loyalty-tier.lookup';

/** Enough to show a pattern; the oldest are kept. */
export const MAX_PRIOR_CASES = 50;

export interface PriorCaseRow {
  caseId: string;
  customerId: string;
  orderId: string;
  openedAt: string;
}

export class SqlPriorCaseLookup {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly suffix = '',
  ) {}

  async casesOf(customerId: string, orderId: string): Promise<PriorCaseRow[]> {
    try {
      const result = await this.sql.query<{ case_id: string; opened_at: Date | string }>(
        `SELECT case_id, opened_at FROM rm_loyalty_cases${this.suffix}
          WHERE customer_id = $1 AND state->>'orderId' = $2 ORDER BY opened_at, case_id LIMIT ${MAX_PRIOR_CASES}`,
        [customerId, orderId],
      );
      return result.rows.map((r) => ({
        caseId: r.case_id,
        customerId,
        orderId,
        openedAt: new Date(r.opened_at).toISOString(),
      }));
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return [];
      throw error;
    }
  }
}
