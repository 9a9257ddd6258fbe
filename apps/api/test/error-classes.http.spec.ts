import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

forEachStore('HTTP: every error class of spec section 7', (openStorage) => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(await openStorage());
  });
  afterAll(async () => api.close());

  const open = async (over: Record<string, unknown> = {}) =>
    (await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody(over)).expect(201)).body.caseId as string;
  const act = (id: string, action: string, body: object = {}, role: 'agent' | 'service' = 'agent') =>
    request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body);
  // An opening appends two events: CaseOpened and CaseTriaged.
  const eventCount = async (id: string) => (await request(api.http).get(`/cases/${id}/events`).set(bearer('auditor')).expect(200)).body.length as number;

  describe('400: every invalid field is named', () => {
    it('names each bad and unknown field of an opening, nested ones by path', async () => {
      const res = await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send({
          ...openCaseBody({ type: 'BROKEN', channel: undefined, priority: 'SOON', currency: 'euro' }),
          items: [{ sku: 'A', quantity: 0, amount: 1.999 }],
          contact: { email: 'not-an-email', shoeSize: 42 },
          vip: true,
        })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(
        ['channel', 'contact.email', 'contact.shoeSize', 'currency', 'items.0.amount', 'items.0.quantity', 'priority', 'type', 'vip'].sort(),
      );
      const unknown = res.body.fields.find((f: { field: string }) => f.field === 'vip');
      expect(unknown.problems).toEqual(['vip is not a known field']);
    });

    it('names the missing required fields of an action, and writes nothing', async () => {
      const id = await open();
      await act(id, 'acknowledge').expect(200);
      const res = await act(id, 'escalate', { level: 'L9' }).expect(400);
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['level', 'reason']);
      expect(await eventCount(id)).toBe(2 + 1);
    });

    it('requires an amount for a partial refund proposal', async () => {
      const id = await open();
      const res = await act(id, 'propose-resolution', { kind: 'PARTIAL_REFUND' }).expect(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['amount']);
    });

    it('refuses a score outside 1..5 and an NPS outside 0..10', async () => {
      const id = await open();
      const res = await act(id, 'record-satisfaction', { score: 6, nps: -1 }, 'service').expect(400);
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['nps', 'score']);
    });

    it('refuses malformed JSON, a bad If-Match, a disagreeing If-Match and a bad Idempotency-Key', async () => {
      const id = await open();
      const malformed = await request(api.http).post('/cases').set(bearer('service')).set('Content-Type', 'application/json').send('{"orderId":').expect(400);
      expect(malformed.body.code).toBe('MALFORMED_JSON');
      await act(id, 'acknowledge').set('If-Match', 'yesterday').expect(400);
      const disagree = await act(id, 'acknowledge', { expectedRevision: 0 }).set('If-Match', '"1"').expect(400);
      expect(disagree.body.fields[0].field).toBe('expectedRevision');
      await request(api.http).post('/cases').set(bearer('service')).set('Idempotency-Key', 'has spaces in it').send(openCaseBody()).expect(400);
      expect(await eventCount(id)).toBe(2);
    });

    it('refuses a NUL character anywhere (body, nested field, query, path) with a 400 naming where, and writes nothing', async () => {
      const body = await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ reason: 'bad\u0000reason', contact: { name: 'x\u0000' } }))
        .expect(400);
      expect(body.body.fields.map((f: { field: string }) => f.field)).toEqual(['reason', 'contact.name']);
      const query = await request(api.http).get('/views/satisfaction').query({ team: 'a\u0000b' }).set(bearer('analyst')).expect(400);
      expect(query.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'team' }] });
      await request(api.http).get('/cases/abc%00def').set(bearer('agent')).expect(400);
      const id = await open();
      await act(id, 'reply', { message: 'hello\u0000' }).expect(400);
      expect(await eventCount(id)).toBe(2);
    });

    it('refuses money with more than two decimals however it is written (5e-324, 1.005) with a 400, not a 500', async () => {
      const tiny = await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ items: [{ sku: 'A', quantity: 1, amount: 5e-324 }] }))
        .expect(400);
      expect(tiny.body.fields).toEqual([{ field: 'items.0.amount', problems: ['amount must be a number with at most two decimal places'] }]);
      const id = await open();
      await act(id, 'acknowledge').expect(200);
      await act(id, 'assign', { agentId: 'agent-1' }).expect(200);
      const refund = await act(id, 'propose-resolution', { kind: 'PARTIAL_REFUND', amount: 1.005, currency: 'EUR' }).expect(400);
      expect(refund.body.fields.map((f: { field: string }) => f.field)).toEqual(['amount']);
      await act(id, 'propose-resolution', { kind: 'PARTIAL_REFUND', amount: 1e-7, currency: 'EUR' }).expect(400);
      await act(id, 'propose-resolution', { kind: 'PARTIAL_REFUND', amount: 10.5, currency: 'EUR' }).expect(200);
    });

    it('refuses a malformed X-Actor-Id', async () => {
      await request(api.http).post('/cases').set(bearer('service')).set('X-Actor-Id', 'two words').send(openCaseBody()).expect(400);
    });
  });

  describe('401 and 403', () => {
    it('401 without a token, with a wrong token, with another scheme; /health needs none', async () => {
      await request(api.http).post('/cases').send(openCaseBody()).expect(401);
      const wrong = await request(api.http).get('/cases/x').set('Authorization', 'Bearer not-a-token').expect(401);
      expect(wrong.headers['www-authenticate']).toBe('Bearer');
      expect(wrong.body.code).toBe('UNAUTHENTICATED');
      await request(api.http).get('/cases/x').set('Authorization', 'Basic YWdlbnQ6cGFzcw==').expect(401);
      await request(api.http).get('/health').expect(200);
    });

    it('403 for a role the route does not allow', async () => {
      const id = await open();
      await request(api.http).post('/cases').set(bearer('analyst')).send(openCaseBody()).expect(403);
      await request(api.http).post('/cases').set(bearer('admin')).send(openCaseBody()).expect(403);
      const service = await act(id, 'acknowledge', {}, 'service').expect(403);
      expect(service.body).toMatchObject({ code: 'FORBIDDEN', message: "role 'service' may not do this; allowed: agent" });
      await request(api.http).get(`/cases/${id}`).set(bearer('service')).expect(403);
      await request(api.http).get(`/cases/${id}/events`).set(bearer('agent')).expect(403);
      expect(await eventCount(id)).toBe(2);
    });

    it('checks the role before the body: a forbidden caller learns nothing about validation', async () => {
      await request(api.http).post('/cases').set(bearer('auditor')).send({ nonsense: true }).expect(403);
    });
  });

  describe('404', () => {
    it('for an unknown case on read, history and action', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const res = await request(api.http).get(`/cases/${unknown}`).set(bearer('agent')).expect(404);
      expect(res.body).toMatchObject({ code: 'CASE_NOT_FOUND' });
      await request(api.http).get(`/cases/${unknown}/events`).set(bearer('auditor')).expect(404);
      await act(unknown, 'acknowledge').expect(404);
      await request(api.http).post(`/cases/${unknown}/fly-to-the-moon`).set(bearer('agent')).send({}).expect(404);
    });
  });

  describe('409', () => {
    it('for a stale expectedRevision in the body or in If-Match, writing nothing', async () => {
      const id = await open();
      await act(id, 'acknowledge', { expectedRevision: 1 }).expect(200);
      const stale = await act(id, 'assign', { agentId: 'a', expectedRevision: 1 }).expect(409);
      expect(stale.body).toMatchObject({ code: 'STALE_REVISION', expectedRevision: 1, currentRevision: 2 });
      await act(id, 'assign', { agentId: 'a' }).set('If-Match', '"1"').expect(409);
      await act(id, 'assign', { agentId: 'a' }).set('If-Match', '"2"').expect(200);
      expect(await eventCount(id)).toBe(4);
    });

    it('for an illegal transition, listing the allowed actions', async () => {
      const id = await open();
      const res = await act(id, 'resolve', { summary: 'done' }).expect(409);
      expect(res.body).toMatchObject({
        code: 'ILLEGAL_TRANSITION',
        status: 'OPEN',
        action: 'resolve',
        allowedActions: ['acknowledge', 'customer-message', 'escalate', 'reject', 'withdraw'],
      });
    });

    it('lets exactly one of two racing writers at the same revision win', async () => {
      const id = await open();
      const results = await Promise.all([
        act(id, 'acknowledge', { expectedRevision: 1, note: 'first' }),
        act(id, 'acknowledge', { expectedRevision: 1, note: 'second' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await eventCount(id)).toBe(3);
    });
  });

  describe('422: business rules, named', () => {
    it('a refund above what the items are worth', async () => {
      const id = await open({ items: [{ sku: 'A', quantity: 1, amount: 40 }] });
      for (const [action, body, role] of [
        ['acknowledge', {}, 'agent'],
        ['reply', { message: 'hi' }, 'agent'],
        ['propose-resolution', { kind: 'REFUND' }, 'agent'],
        ['accept-resolution', {}, 'service'],
      ] as const) {
        await act(id, action, body, role).expect(200);
      }
      const res = await act(id, 'issue-refund', { amount: 40.01, currency: 'EUR' }).expect(422);
      expect(res.body).toMatchObject({ code: 'BUSINESS_RULE_VIOLATED', rule: 'REFUND_EXCEEDS_ITEMS_VALUE' });
      const resolve = await act(id, 'resolve', { summary: 'early' }).expect(422);
      expect(resolve.body.rule).toBe('RESOLUTION_NOT_FULFILLED');
      expect(await eventCount(id)).toBe(6);
    });
  });

  describe('Idempotency-Key', () => {
    it('same key and body: the same answer and no second case; other body: 422', async () => {
      const send = (body: object) => request(api.http).post('/cases').set(bearer('service')).set('Idempotency-Key', 'order-77-return').send(body);
      const first = await send(openCaseBody()).expect(201);
      api.clock.advanceMinutes(5);
      const again = await send(openCaseBody()).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const { replayed: r1, ...a1 } = first.body;
      const { replayed: r2, ...a2 } = again.body;
      expect([r1, r2]).toEqual([false, true]);
      expect(a2).toEqual(a1);
      expect(await eventCount(first.body.caseId)).toBe(2);
      const other = await send(openCaseBody({ reason: 'Changed my mind' })).expect(422);
      expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('field order does not make a body different', async () => {
      const body = openCaseBody();
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const first = await request(api.http).post('/cases').set(bearer('service')).set('Idempotency-Key', 'k-order').send(body).expect(201);
      const second = await request(api.http).post('/cases').set(bearer('service')).set('Idempotency-Key', 'k-order').send(reordered).expect(201);
      expect(second.body.caseId).toBe(first.body.caseId);
    });

    it('two racing requests with one key open one case', async () => {
      const send = () => request(api.http).post('/cases').set(bearer('service')).set('Idempotency-Key', 'race-1').send(openCaseBody());
      const [a, b] = await Promise.all([send(), send()]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.caseId).toBe(b.body.caseId);
      expect(await eventCount(a.body.caseId)).toBe(2);
    });

    it('on an action: a retry answers what the first attempt answered, even after later changes', async () => {
      const id = await open();
      const ack = () => act(id, 'acknowledge', { note: 'seen' }).set('Idempotency-Key', 'ack-1');
      const first = await ack().expect(200);
      await act(id, 'assign', { agentId: 'agent-1' }).expect(200);
      const retry = await ack().expect(200);
      expect(retry.body).toMatchObject({ status: 'ACKNOWLEDGED', revision: first.body.revision, replayed: true });
      expect(await eventCount(id)).toBe(4);
      await act(id, 'reply', { message: 'x' }).set('Idempotency-Key', 'ack-1').expect(422);
    });
  });

  it('never answers 500 to any of the bad inputs above', async () => {
    const statuses = api.logLines
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'http request')
      .map((l) => l.status);
    expect(statuses.length).toBeGreaterThan(30);
    expect(statuses.filter((s: number) => s >= 500)).toEqual([]);
  });
});
