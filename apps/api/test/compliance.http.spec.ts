/**
 * GET /audit/compliance with the CN and EU profiles. Each case below breaks (or keeps) one rule; the expected
 * findings are worked out by hand in the comments. Order D1 was delivered 2026-03-01T02:00Z (10:00 in Shanghai):
 * CN no-reason window ends 2026-03-08T15:59:59.999Z (7 local days from the day after); EU 2026-03-15T02:00Z.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';

describe('Compliance report', () => {
  let api: ApiUnderTest;
  const ids: Record<string, string> = {};

  const at = (iso: string) => api.clock.set(iso);
  const open = async (name: string, when: string, over: Record<string, unknown>) => {
    at(when);
    ids[name] = (
      await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ merchantId: 'm1', orderId: 'D1', ...over }))
        .expect(201)
    ).body.caseId;
  };
  const act = async (name: string, when: string, action: string, body: object = {}, role: 'agent' | 'service' = 'agent') => {
    at(when);
    await request(api.http).post(`/cases/${ids[name]}/${action}`).set(bearer(role)).send(body).expect(200);
  };
  const report = async (query: string) => (await request(api.http).get(`/audit/compliance?${query}`).set(bearer('auditor')).expect(200)).body;
  const found = (body: { violations: Array<{ rule: string; caseId: string }> }) =>
    body.violations.map((v) => [v.rule, Object.keys(ids).find((k) => ids[k] === v.caseId)]).sort();

  async function refundStory(name: string, receivedAt: string, refundedAt: string) {
    await open(name, '2026-03-02T09:00:00.000Z', { type: 'RETURN', items: [{ sku: 'X', quantity: 1, amount: 100 }] });
    await act(name, '2026-03-02T10:00:00.000Z', 'acknowledge');
    await act(name, '2026-03-02T10:05:00.000Z', 'assign', { agentId: 'a1' });
    await act(name, '2026-03-02T10:10:00.000Z', 'propose-resolution', { kind: 'REFUND', currency: 'EUR' });
    await act(name, '2026-03-02T10:20:00.000Z', 'accept-resolution', {}, 'service');
    await act(name, '2026-03-02T10:30:00.000Z', 'authorize-return');
    await act(name, receivedAt, 'return-received', { condition: 'INTACT' });
    await act(name, refundedAt, 'issue-refund', { amount: 100, currency: 'EUR' });
  }

  async function rejectedReturn(name: string, openedAt: string, over: Record<string, unknown> = {}) {
    await open(name, openedAt, { type: 'RETURN', ...over });
    await act(name, new Date(Date.parse(openedAt) + 3_600_000).toISOString(), 'acknowledge');
    await act(name, new Date(Date.parse(openedAt) + 7_200_000).toISOString(), 'reject', { reasonCode: 'OUT_OF_RETURN_WINDOW' });
  }

  beforeAll(async () => {
    api = await startApi();
    at('2026-03-01T02:00:00.000Z');
    await request(api.http)
      .post('/order-events')
      .set(bearer('service'))
      .send({
        events: [
          { eventId: 'd1-delivered', type: 'OrderDelivered', orderId: 'D1', customerId: 'cust-1', merchantId: 'm1', occurredAt: '2026-03-01T02:00:00Z' },
        ],
      })
      .expect(200);
    // F1: NORMAL (24 h), first response after 25 h → FIRST_RESPONSE (both).
    await open('F1', '2026-03-02T09:00:00.000Z', { type: 'COMPLAINT', priority: 'NORMAL' });
    await act('F1', '2026-03-03T10:00:00.000Z', 'acknowledge');
    // F2: HIGH (4 h), first response after 5 h → FIRST_RESPONSE (both), although under 24 h.
    await open('F2', '2026-03-02T09:00:00.000Z', { type: 'COMPLAINT', priority: 'HIGH' });
    await act('F2', '2026-03-02T14:00:00.000Z', 'acknowledge');
    // R1: asked 7 March 12:00Z, inside both windows, rejected → NO_REASON_RETURN_WINDOW (both).
    await rejectedReturn('R1', '2026-03-07T12:00:00.000Z');
    // R2: asked 12 March, after the CN window, inside the EU one, rejected → EU only.
    await rejectedReturn('R2', '2026-03-12T00:00:00.000Z');
    // R3: perishable goods, exempt → nothing.
    await rejectedReturn('R3', '2026-03-03T00:00:00.000Z', { items: [{ sku: 'FISH', quantity: 1, amount: 20, returnExemption: 'PERISHABLE' }] });
    // R4: received 5 March, refunded 13 March: CN due 12 March (7 days from receipt) → CN only;
    //     EU due max(16 March = notice + 14 days, receipt) → in time.
    await refundStory('R4', '2026-03-05T09:00:00.000Z', '2026-03-13T09:00:00.000Z');
    // R5: received 20 March, refunded 21 March: CN due 27 March → in time; EU may wait for the goods: due
    //     max(16 March, 20 March 09:00) → a day late → EU only.
    await refundStory('R5', '2026-03-20T09:00:00.000Z', '2026-03-21T09:00:00.000Z');
    // A1: a rejection imported without a reason code → ATTRIBUTED_DECISIONS (both).
    await open('A1', '2026-03-02T09:00:00.000Z', { type: 'COMPLAINT' });
    await act('A1', '2026-03-02T09:30:00.000Z', 'acknowledge');
    await api.store.append(
      `case-${ids.A1}`,
      [
        {
          eventId: randomUUID(),
          type: 'CaseRejected',
          schemaVersion: 1,
          data: {},
          metadata: {
            caseId: ids.A1,
            occurredAt: '2026-03-02T10:00:00.000Z',
            actor: { type: 'agent', id: 'importer' },
            correlationId: 'import',
            causationId: 'import',
          },
        },
      ],
      2, // after CaseOpened, CaseTriaged and CaseAcknowledged
    );
    // N1: an event deleted from the store → NOTHING_DELETED, and with the acknowledgement gone, FIRST_RESPONSE too.
    await open('N1', '2026-03-02T09:00:00.000Z', { type: 'COMPLAINT' });
    await act('N1', '2026-03-02T09:30:00.000Z', 'acknowledge');
    await act('N1', '2026-03-02T09:40:00.000Z', 'assign', { agentId: 'a2' });
    await api.storage.readModels.query('DELETE FROM events WHERE stream_id = $1 AND revision = 2', [`case-${ids.N1}`]); // the acknowledgement
    at('2026-04-01T00:00:00.000Z');
  });
  afterAll(async () => api.close());

  /** Findings both profiles share. */
  const BOTH = [
    ['ATTRIBUTED_DECISIONS', 'A1'],
    ['FIRST_RESPONSE', 'F1'],
    ['FIRST_RESPONSE', 'F2'],
    ['FIRST_RESPONSE', 'N1'],
    ['NOTHING_DELETED', 'N1'],
    ['NO_REASON_RETURN_WINDOW', 'R1'],
  ];

  it('CN profile: the findings worked out above', async () => {
    const body = await report('profile=CN');
    expect(body).toMatchObject({ profile: 'CN', casesChecked: 9 });
    expect(found(body)).toEqual([...BOTH, ['REFUND_DEADLINE', 'R4']].sort());
    expect(body.summary).toEqual({ FIRST_RESPONSE: 3, NO_REASON_RETURN_WINDOW: 1, REFUND_DEADLINE: 1, ATTRIBUTED_DECISIONS: 1, NOTHING_DELETED: 1 });
  });

  it('EU profile: the findings worked out above', async () => {
    const body = await report('profile=EU');
    expect(found(body)).toEqual([...BOTH, ['NO_REASON_RETURN_WINDOW', 'R2'], ['REFUND_DEADLINE', 'R5']].sort());
  });

  it('each violation links to the case and the events that prove it', async () => {
    const body = await report('profile=CN&rule=REFUND_DEADLINE');
    expect(body.violations).toHaveLength(1);
    const [v] = body.violations;
    expect(v).toMatchObject({ rule: 'REFUND_DEADLINE', caseId: ids.R4, merchantId: 'm1', link: `/cases/${ids.R4}/events` });
    const history = (await request(api.http).get(v.link).set(bearer('auditor')).expect(200)).body as Array<{ eventId: string; type: string }>;
    expect(v.evidence.map((id: string) => history.find((e) => e.eventId === id)?.type)).toEqual(['CaseOpened', 'ReturnReceived', 'RefundIssued']);
  });

  it('filters by period and merchant, and answers CSV', async () => {
    expect(found(await report('profile=EU&from=2026-03-10T00:00:00Z'))).toEqual([['NO_REASON_RETURN_WINDOW', 'R2']]);
    expect((await report('profile=EU&merchantId=m2')).violations).toEqual([]);
    const csv = await request(api.http).get('/audit/compliance?profile=CN&format=csv').set(bearer('auditor')).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n'); // RFC 4180 record ends
    expect(lines[0]).toBe('rule,profile,caseId,merchantId,openedAt,detail,evidence,link');
    expect(lines).toHaveLength(1 + 7);
    await request(api.http).get('/audit/compliance?profile=US').set(bearer('auditor')).expect(400);
    await request(api.http).get('/audit/compliance').set(bearer('analyst')).expect(403);
  });
});
