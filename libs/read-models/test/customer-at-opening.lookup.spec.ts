/**
 * What an opening reads about its customer in one statement (`SqlCustomerAtOpeningLookup`) is what the two
 * lookups read apart: the tier of `SqlLoyaltyTierLookup` and the earlier cases of `SqlPriorCaseLookup`.
 */
import type { Storage } from '@aftersales/storage';
import { forEachStore } from '../../../test/harness/store-matrix';
import { LoyaltyProjection, ProjectionRunner, SqlCustomerAtOpeningLookup, SqlLoyaltyTierLookup, SqlPriorCaseLookup, tableOnlyDeadLetters } from '../src';

forEachStore('the customer at opening, in one statement', (openStorage) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage();
  });
  afterAll(async () => storage.close());

  const both = (customerId: string, orderId: string) => new SqlCustomerAtOpeningLookup(storage.readModels).customerAtOpening(customerId, orderId);
  const apart = async (customerId: string, orderId: string) => ({
    tier: await new SqlLoyaltyTierLookup(storage.readModels).tierOf(customerId),
    priorCases: await new SqlPriorCaseLookup(storage.readModels).casesOf(customerId, orderId),
  });
  const loyaltyCase = (caseId: string, customerId: string, orderId: string, openedAt: string, extra: { csat?: number; points?: number } = {}) =>
    storage.readModels.query(
      `INSERT INTO rm_loyalty_cases (case_id, state, customer_id, merchant_id, case_type, opened_at, outcome, csat, compensation_points, coupon_total)
       VALUES ($1, $2::jsonb, $3, 'm1', 'RETURN', $4, 'OPEN', $5, $6, 0)`,
      [caseId, JSON.stringify({ orderId }), customerId, openedAt, extra.csat ?? null, extra.points ?? 0],
    );
  const paidOrder = (orderId: string, customerId: string, amount: number, refunded = 0) =>
    storage.readModels.query(
      `INSERT INTO rm_loyalty_orders (order_id, customer_id, merchant_id, row, amount, paid, cancelled, refunded_amount) VALUES ($1, $2, 'm1', '{}', $3, true, false, $4)`,
      [orderId, customerId, amount, refunded],
    );

  it('given no loyalty view yet, then the customer is unknown there and has no earlier cases', async () => {
    expect(await both('cust-1', 'ord-A')).toEqual({ tier: undefined, priorCases: [] });
  });

  it('given orders and cases in the view, then tier and earlier cases are those the two lookups find apart', async () => {
    await new ProjectionRunner(storage.readModels, new LoyaltyProjection(), tableOnlyDeadLetters).init();
    await paidOrder('ord-A', 'cust-1', 4_800, 300);
    await paidOrder('ord-B', 'cust-1', 500);
    await loyaltyCase('case-2', 'cust-1', 'ord-A', '2026-03-02T10:00:00.123Z', { csat: 4, points: 200 });
    await loyaltyCase('case-1', 'cust-1', 'ord-A', '2026-03-01T09:30:00.000Z');
    await loyaltyCase('case-3', 'cust-1', 'ord-B', '2026-03-03T08:00:00.000Z');
    await loyaltyCase('case-4', 'cust-2', 'ord-A', '2026-03-01T08:00:00.000Z');

    // 4,500 + 500 order points, 200 compensation, 10 for feedback: 5,210, GOLD.
    const gold = await both('cust-1', 'ord-A');
    expect(gold).toEqual({
      tier: 'GOLD',
      priorCases: [
        { caseId: 'case-1', customerId: 'cust-1', orderId: 'ord-A', openedAt: '2026-03-01T09:30:00.000Z' },
        { caseId: 'case-2', customerId: 'cust-1', orderId: 'ord-A', openedAt: '2026-03-02T10:00:00.123Z' },
      ],
    });
    expect(gold).toEqual(await apart('cust-1', 'ord-A'));
    expect(await both('cust-1', 'ord-C')).toEqual({ tier: 'GOLD', priorCases: [] });
    // A customer with one case and nothing else: known, STANDARD.
    expect(await both('cust-2', 'ord-B')).toEqual({ tier: 'STANDARD', priorCases: [] });
    expect(await both('cust-3', 'ord-A')).toEqual({ tier: undefined, priorCases: [] });
    expect(await both('cust-3', 'ord-A')).toEqual(await apart('cust-3', 'ord-A'));
  });
});
