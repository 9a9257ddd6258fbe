import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { CASE_ACTIONS, CASE_EVENT_TYPES, currentEventVersion } from '@aftersales/case-domain';
import { DEFAULT_TOPICS } from '@aftersales/kafka-transport';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

forEachStore('HTTP: a case from opening to closure', (openStorage) => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(await openStorage());
  });
  afterAll(async () => api.close());

  const act = (id: string, action: string, body: object = {}, role: 'agent' | 'service' = 'agent') =>
    request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body);

  it('opens with 201, the SLA due times of the policy and a Location', async () => {
    const res = await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201);
    // Revision 1: CaseOpened, then CaseTriaged in the same append.
    expect(res.body).toMatchObject({
      status: 'OPEN',
      revision: 1,
      escalationLevel: 'L0',
      allowedActions: ['acknowledge', 'customer-message', 'escalate', 'reject', 'withdraw'],
      sla: {
        policyId: 'default',
        policyVersion: 1,
        firstResponseDueAt: '2026-03-02T13:00:00.000Z',
        resolutionDueAt: '2026-03-04T09:00:00.000Z',
      },
    });
    expect(res.body.caseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.location).toBe(`/cases/${res.body.caseId}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers['x-correlation-id']).toBeDefined();
  });

  it('walks a return through refund, resolution, satisfaction and closure', async () => {
    const { body: opened } = await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201);
    const id = opened.caseId as string;
    const steps: Array<[string, object, 'agent' | 'service', string, number]> = [
      ['acknowledge', { expectedRevision: 1 }, 'agent', 'ACKNOWLEDGED', 2],
      ['assign', { agentId: 'agent-7', team: 'returns' }, 'agent', 'IN_PROGRESS', 3],
      ['request-info', { message: 'Is the box intact?' }, 'agent', 'AWAITING_CUSTOMER', 5],
      ['customer-message', { message: 'Yes, unopened' }, 'service', 'IN_PROGRESS', 7],
      ['propose-resolution', { kind: 'REFUND', currency: 'EUR' }, 'agent', 'RESOLUTION_PROPOSED', 8],
      ['accept-resolution', { note: 'fine' }, 'service', 'IN_PROGRESS', 9],
      ['authorize-return', { rmaNumber: 'RMA-77' }, 'agent', 'IN_PROGRESS', 10],
      ['return-shipped', { carrier: 'SF', trackingNumber: 'SF1' }, 'agent', 'IN_PROGRESS', 11],
      ['return-received', { condition: 'INTACT' }, 'agent', 'IN_PROGRESS', 13],
      ['issue-refund', { amount: 100, currency: 'EUR' }, 'agent', 'IN_PROGRESS', 14],
      ['resolve', { summary: 'Returned and refunded' }, 'agent', 'RESOLVED', 15],
      ['record-satisfaction', { score: 5, nps: 10 }, 'service', 'RESOLVED', 16],
      ['close', {}, 'agent', 'CLOSED', 18], // CaseClosed and FollowUpScheduled
    ];
    for (const [action, body, role, status, revision] of steps) {
      api.clock.advanceMinutes(10);
      const res = await act(id, action, body, role);
      expect({ action, code: res.status, status: res.body.status, revision: res.body.revision }).toEqual({
        action,
        code: 200,
        status,
        revision,
      });
    }
    const view = await request(api.http).get(`/cases/${id}`).set(bearer('analyst')).expect(200);
    expect(view.body).toMatchObject({
      status: 'CLOSED',
      revision: 18,
      refundedTotal: 100,
      return: { rmaNumber: 'RMA-77', status: 'INSPECTED', condition: 'INTACT' },
      satisfaction: { score: 5, nps: 10 },
      assignee: { agentId: 'agent-7', team: 'returns' },
      sla: { firstResponse: { breached: false, metAt: '2026-03-02T09:10:00.000Z' }, resolution: { breached: false } },
      allowedActions: ['record-follow-up'],
    });
    expect(view.headers.etag).toBe('"18"');
  });

  it('attributes a customer action relayed by a service to the customer, via the service', async () => {
    const { body } = await request(api.http).post('/cases').set(bearer('service')).set('X-Actor-Id', 'web-shop').send(openCaseBody()).expect(201);
    await act(body.caseId, 'customer-message', { message: 'Hello?' }, 'service').set('X-Actor-Id', 'chat-bot').expect(200);
    const events = await request(api.http).get(`/cases/${body.caseId}/events`).set(bearer('auditor')).expect(200);
    expect(events.body.map((e: { actor: unknown }) => e.actor)).toEqual([
      { type: 'service', id: 'web-shop' },
      { type: 'system', id: 'triage' },
      { type: 'customer', id: 'cust-1', via: { type: 'service', id: 'chat-bot' } },
    ]);
  });

  it('serves the history with every metadata field of spec section 3', async () => {
    const { body } = await request(api.http).post('/cases').set(bearer('service')).set('X-Correlation-Id', 'order-service-42').send(openCaseBody()).expect(201);
    await act(body.caseId, 'acknowledge').set('X-Correlation-Id', 'agent-desk-1').expect(200);
    const { body: history } = await request(api.http).get(`/cases/${body.caseId}/events`).set(bearer('analyst')).expect(200);
    expect(history).toHaveLength(3);
    for (const [i, event] of history.entries()) {
      expect(Object.keys(event).sort()).toEqual(
        [
          'actor',
          'caseId',
          'causationId',
          'commandId',
          'correlationId',
          'data',
          'eventId',
          'hash',
          'hashScheme',
          'metadata',
          'occurredAt',
          'position',
          'prevHash',
          'recordedAt',
          'revision',
          'schemaVersion',
          'streamId',
          'type',
        ].sort(),
      );
      expect(event).toMatchObject({ caseId: body.caseId, revision: i, schemaVersion: currentEventVersion(event.type) }); // CaseOpened is at v2
    }
    expect(history.map((e: { type: string }) => e.type)).toEqual(['CaseOpened', 'CaseTriaged', 'CaseAcknowledged']);
    expect(history.map((e: { correlationId: string }) => e.correlationId)).toEqual(['order-service-42', 'order-service-42', 'agent-desk-1']);
    expect(history[0].causationId).toBe(history[0].commandId);
    expect(history[1].commandId).toBe(history[0].commandId);
  });

  it('GET ?asOf= gives the case as it was then; before it opened it is a 404', async () => {
    api.clock.set('2026-04-01T08:00:00.000Z');
    const { body } = await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201);
    api.clock.set('2026-04-01T10:00:00.000Z');
    await act(body.caseId, 'acknowledge').expect(200);
    const then = await request(api.http).get(`/cases/${body.caseId}?asOf=2026-04-01T09:00:00Z`).set(bearer('auditor')).expect(200);
    expect(then.body).toMatchObject({ status: 'OPEN', revision: 1, asOf: '2026-04-01T09:00:00.000Z' });
    expect(then.body.sla.firstResponse).toMatchObject({ msLeft: 3 * 3_600_000, breached: false });
    const now = await request(api.http).get(`/cases/${body.caseId}`).set(bearer('agent')).expect(200);
    expect(now.body).toMatchObject({ status: 'ACKNOWLEDGED', revision: 2 });
    await request(api.http).get(`/cases/${body.caseId}?asOf=2026-04-01T07:00:00Z`).set(bearer('auditor')).expect(404);
    const bad = await request(api.http).get(`/cases/${body.caseId}?asOf=yesterday`).set(bearer('auditor')).expect(400);
    expect(bad.body.fields).toEqual([{ field: 'asOf', problems: [expect.stringContaining('ISO 8601')] }]);
  });

  it('verifies the hash chain of a case for auditors, and names the first broken link after tampering', async () => {
    const { body } = await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201);
    await act(body.caseId, 'acknowledge').expect(200);
    await act(body.caseId, 'assign', { agentId: 'agent-3' }).expect(200);
    const ok = await request(api.http).get(`/audit/cases/${body.caseId}/verify`).set(bearer('auditor')).expect(200);
    // An auditor's own tool agrees: the Python verifier in deploy/audit, on the history as served.
    const history = await request(api.http).get(`/cases/${body.caseId}/events`).set(bearer('auditor')).expect(200);
    const file = join(mkdtempSync(join(tmpdir(), 'chain-')), 'events.json');
    writeFileSync(file, JSON.stringify(history.body));
    const python = spawnSync('python3', [join(__dirname, '../../../deploy/audit/verify_chain.py'), file], { encoding: 'utf8' });
    expect(python.stdout.trim()).toBe(`VALID: 4 events, head ${ok.body.headHash}`);
    expect(ok.body).toMatchObject({
      caseId: body.caseId,
      streamId: `case-${body.caseId}`,
      events: 4,
      valid: true,
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await request(api.http).get(`/audit/cases/${body.caseId}/verify`).set(bearer('analyst')).expect(403);
    await request(api.http).get('/audit/cases/00000000-0000-4000-8000-000000000000/verify').set(bearer('auditor')).expect(404);
    if (api.store.kind === 'eventstoredb') return; // events there cannot be altered in place
    await api.storage.readModels.query(`UPDATE events SET data = jsonb_set(data, '{agentId}', '"someone-else"') WHERE stream_id = $1 AND revision = 3`, [
      `case-${body.caseId}`,
    ]);
    const broken = await request(api.http).get(`/audit/cases/${body.caseId}/verify`).set(bearer('auditor')).expect(200);
    expect(broken.body).toMatchObject({ valid: false, firstBrokenLink: { revision: 3, reason: 'HASH_MISMATCH' } });
    const tampered = await request(api.http).get(`/cases/${body.caseId}/events`).set(bearer('auditor')).expect(200);
    writeFileSync(file, JSON.stringify(tampered.body));
    const again = spawnSync('python3', [join(__dirname, '../../../deploy/audit/verify_chain.py'), file], { encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/^BROKEN at revision 3: hash/);
  });

  it('answers /health without a token, and documents every action at /docs-json', async () => {
    const health = await request(api.http).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', eventStore: { kind: api.store.kind, status: 'up' } });
    expect((await request(api.http).get('/health/live').expect(200)).body).toMatchObject({ status: 'ok' });
    const { body: doc } = await request(api.http).get('/docs-json').expect(200);
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining(['/cases', '/cases/{id}', '/cases/{id}/events', '/cases/{id}/issue-refund', '/cases/{id}/withdraw']));
    expect(paths.filter((p) => p.startsWith('/cases/{id}/') && p !== '/cases/{id}/events').sort()).toEqual(CASE_ACTIONS.map((a) => `/cases/{id}/${a}`).sort());
    expect(doc.components.schemas.IssueRefundBody.required).toEqual(['amount', 'currency']);
    const operationIds = CASE_ACTIONS.map((a) => doc.paths[`/cases/{id}/${a}`].post.operationId);
    expect(new Set(operationIds).size).toBe(CASE_ACTIONS.length);
  });

  it('serves the AsyncAPI document of the topics the code really uses', async () => {
    const { body } = await request(api.http).get('/asyncapi.json').expect(200);
    expect(body.asyncapi).toBe('2.6.0');
    expect(Object.keys(body.channels).sort()).toEqual(Object.values(DEFAULT_TOPICS).sort());
    const caseMessages = body.channels[DEFAULT_TOPICS.caseEvents].subscribe.message.oneOf.map((m: { name: string }) => m.name);
    expect(caseMessages).toEqual([...CASE_EVENT_TYPES]);
  });

  it('publishes the inbound order fact with the JSON Schema of the DTO that validates POST /order-events', async () => {
    const { body } = await request(api.http).get('/asyncapi.json').expect(200);
    const payload = body.channels[DEFAULT_TOPICS.ordersInbound].publish.message.payload;
    expect(payload).toEqual({ $ref: '#/components/schemas/OrderFactDto' });
    const schema = body.components.schemas.OrderFactDto;
    expect(schema.required.sort()).toEqual(['customerId', 'eventId', 'merchantId', 'occurredAt', 'orderId', 'type']);
    expect(schema.properties.items.items).toEqual({ $ref: '#/components/schemas/OrderFactItemDto' });
    const { body: openApi } = await request(api.http).get('/docs-json').expect(200);
    if (openApi.components.schemas.OrderFactDto) expect(openApi.components.schemas.OrderFactDto.required.sort()).toEqual(schema.required.sort());
  });

  it('exposes Prometheus metrics with command outcomes', async () => {
    const res = await request(api.http).get('/metrics').set(bearer('admin')).expect(200);
    expect(res.text).toContain('case_commands_total{action="open",outcome="ok"}');
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/aftersales_events_appended_total\{category="case",type="CaseOpened"\} [1-9]/);
    await api.background.catchUp();
    const after = (await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text;
    if (api.store.kind !== 'eventstoredb') expect(after).toContain('aftersales_projection_lag_events{projection="escalation",source="feed"} 0');
    expect(after).toContain('aftersales_dead_letters{projection="loyalty"} 0');
    expect(after).toMatch(/aftersales_sla_overdue_clocks\{clock="FIRST_RESPONSE"\} \d+/);
    expect(after).toContain('aftersales_projection_checkpoint_age_seconds{projection="satisfaction",source="feed"}');
  });

  it('logs one JSON line per request with its correlation id', async () => {
    api.logLines.length = 0;
    await request(api.http).get('/health').set('X-Correlation-Id', 'trace-me-1').expect(200);
    const lines = api.logLines.map((l) => JSON.parse(l));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'http request', path: '/health', status: 200, correlationId: 'trace-me-1' }));
  });
});
