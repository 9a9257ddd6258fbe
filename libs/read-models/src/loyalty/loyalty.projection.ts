/**
 * Loyalty view (spec section 6): one row per order (from order facts) and one per case (outcome, closure,
 * CSAT, compensation), keyed by customer. Points, tier, repurchase, churn risk and the loyalty-impact figures
 * are computed from these rows when asked, so the order in which facts and case events arrive does not matter.
 */
import type { CaseState } from '@aftersales/case-domain';
import type { OrderFactData, OrderFactType } from '@aftersales/order-facts';
import { isOrderFactType } from '@aftersales/order-facts';
import type { SqlQueryable } from '@aftersales/sql-client';
import { CaseFoldTable } from '../case-fold-table';
import { sqlScalar } from '../case-fold-memo';
import type { Projection } from '../projection';
import type { ProjectedEvent } from '../projected-event';
import { isCaseStream, isOrderStream } from '../projected-event';
import type { OrderRow } from './order-reducer';
import { orderedAt, reduceOrder, refundedOf } from './order-reducer';
import { PoisonEventError } from '../poison-event';

type OrderFact = ProjectedEvent & { type: OrderFactType };

export type CaseOutcome = 'OPEN' | 'RESOLVED' | 'REJECTED' | 'WITHDRAWN';

export function caseOutcome(s: CaseState): CaseOutcome {
  if (s.withdrawal) return 'WITHDRAWN';
  if (s.rejection) return 'REJECTED';
  if (s.resolvedAt) return 'RESOLVED';
  return 'OPEN';
}

/** Closure: the CaseClosed time, or when the case otherwise ended (resolved, rejected, withdrawn). */
export function closureAt(s: CaseState): string | undefined {
  if (s.closedAt) return s.closedAt;
  if (s.status === 'RESOLVED') return s.resolvedAt;
  if (s.status === 'REJECTED') return s.rejection?.at;
  if (s.status === 'WITHDRAWN') return s.withdrawal?.at;
  return undefined;
}

export const loyaltyCasesTable = new CaseFoldTable(
  'rm_loyalty_cases',
  [
    { name: 'customer_id', sqlType: 'TEXT NOT NULL', value: (s: CaseState) => s.customerId },
    { name: 'merchant_id', sqlType: 'TEXT NOT NULL', value: (s) => s.merchantId },
    { name: 'case_type', sqlType: 'TEXT NOT NULL', value: (s) => s.caseType },
    { name: 'opened_at', sqlType: 'TIMESTAMPTZ NOT NULL', value: (s) => s.openedAt },
    { name: 'outcome', sqlType: 'TEXT NOT NULL', value: caseOutcome },
    { name: 'closure_at', sqlType: 'TIMESTAMPTZ', value: closureAt },
    { name: 'csat', sqlType: 'INTEGER', value: (s) => s.satisfaction?.score },
    { name: 'compensation_points', sqlType: 'INTEGER NOT NULL', value: (s) => s.compensations.reduce((n, c) => n + (c.points ?? 0), 0) },
    { name: 'coupon_total', sqlType: 'DOUBLE PRECISION NOT NULL', value: (s) => s.compensations.reduce((n, c) => n + (c.couponAmount ?? 0), 0) },
  ],
  ['customer_id', 'closure_at'],
);

const ORDERS_DDL = (suffix: string) => `
CREATE TABLE IF NOT EXISTS rm_loyalty_orders${suffix} (
  order_id     TEXT PRIMARY KEY,
  customer_id  TEXT NOT NULL,
  merchant_id  TEXT NOT NULL,
  row          JSONB NOT NULL,
  ordered_at   TIMESTAMPTZ,
  amount       DOUBLE PRECISION,
  currency     TEXT,
  paid         BOOLEAN NOT NULL,
  cancelled    BOOLEAN NOT NULL
);
CREATE INDEX IF NOT EXISTS rm_loyalty_orders${suffix}_customer ON rm_loyalty_orders${suffix} (customer_id, ordered_at);
-- Tables made before refunds were taken get the columns (NULL is right for them: no refund existed yet).
ALTER TABLE rm_loyalty_orders${suffix} ADD COLUMN IF NOT EXISTS refunded_at TIMESTAMPTZ;
ALTER TABLE rm_loyalty_orders${suffix} ADD COLUMN IF NOT EXISTS refunded_amount DOUBLE PRECISION;`;

export class LoyaltyProjection implements Projection {
  readonly name = 'loyalty' as const;
  /** docs/views.md: raise when rows written before a change differ from what the projection writes now. */
  readonly shapeVersion = 2; // 2: refunds (refunded_at, refunded_amount)
  readonly tables = ['rm_loyalty_cases', 'rm_loyalty_orders'];

  schema(suffix: string): string {
    return `${loyaltyCasesTable.ddl(suffix)}\n${ORDERS_DDL(suffix)}`;
  }

  wants(streamId: string): boolean {
    return isCaseStream(streamId) || isOrderStream(streamId);
  }

  async apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<void> {
    await loyaltyCasesTable.apply(tx, events, suffix);
    await this.applyOrders(
      tx,
      events.filter((e): e is OrderFact => isOrderStream(e.streamId) && isOrderFactType(e.type)),
      suffix,
    );
  }

  private async applyOrders(tx: SqlQueryable, facts: OrderFact[], suffix: string): Promise<void> {
    if (facts.length === 0) return;
    const table = `rm_loyalty_orders${suffix}`;
    for (const f of facts) {
      const data = f.data as unknown as OrderFactData;
      if (!data?.orderId || !data.customerId) throw new PoisonEventError(f.eventId, `${f.type} lacks orderId or customerId`);
    }
    const ids = [...new Set(facts.map((f) => (f.data as unknown as OrderFactData).orderId))];
    const loaded = await tx.query<{ order_id: string; row: OrderRow }>(`SELECT order_id, row FROM ${table} WHERE order_id = ANY($1::text[])`, [ids]);
    const rows = new Map(loaded.rows.map((r) => [r.order_id, r.row]));
    for (const fact of facts) {
      const data = fact.data as unknown as OrderFactData;
      rows.set(data.orderId, reduceOrder(rows.get(data.orderId), fact.type, data, fact.occurredAt, fact.eventId));
    }
    const touched = ids.map((id) => rows.get(id)!).filter(Boolean);
    await tx.query(ORDERS_UPSERT(table), [JSON.stringify(touched.map(orderColumns))]);
  }
}

/** An order's row as the upsert unpacks it: the row itself as JSONB and the columns queries filter and sum on. */
function orderColumns(row: OrderRow): Record<string, unknown> {
  return {
    order_id: row.orderId,
    customer_id: row.customerId,
    merchant_id: row.merchantId ?? '',
    row,
    ordered_at: orderedAt(row) ?? null,
    amount: sqlScalar(row.amount),
    currency: row.currency ?? null,
    paid: row.paidAt !== undefined,
    cancelled: row.cancelledAt !== undefined,
    refunded_at: row.refundedAt ?? null,
    refunded_amount: sqlScalar(refundedOf(row)),
  };
}

/** One statement per batch, whatever its size: the rows go as one JSON document. */
const ORDERS_UPSERT = (table: string) =>
  `INSERT INTO ${table} (order_id, customer_id, merchant_id, row, ordered_at, amount, currency, paid, cancelled, refunded_at, refunded_amount)
   SELECT order_id, customer_id, merchant_id, row, ordered_at, amount, currency, paid, cancelled, refunded_at, refunded_amount
   FROM jsonb_to_recordset($1::jsonb) AS r(order_id text, customer_id text, merchant_id text, row jsonb, ordered_at timestamptz, amount double precision,
     currency text, paid boolean, cancelled boolean, refunded_at timestamptz, refunded_amount double precision)
   ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, merchant_id = EXCLUDED.merchant_id,
     row = EXCLUDED.row, ordered_at = EXCLUDED.ordered_at, amount = EXCLUDED.amount, currency = EXCLUDED.currency,
     paid = EXCLUDED.paid, cancelled = EXCLUDED.cancelled, refunded_at = EXCLUDED.refunded_at, refunded_amount = EXCLUDED.refunded_amount`;
