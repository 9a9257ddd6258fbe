/**
 * Follow-up visits (回访) over HTTP, once per store: closed cases are listed when due, an agent records each visit,
 * ISSUE_RECURRED reopens the case through the follow-up process manager, and the satisfaction view counts them.
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

forEachStore('HTTP: follow-up visits', (openStorage) => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(await openStorage());
  });
  afterAll(async () => api.close());

  const act = (id: string, action: string, body: object = {}, role: 'agent' | 'service' = 'agent') =>
    request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body);
  const followUps = (query: string, role: 'agent' | 'analyst' | 'service' = 'agent') => request(api.http).get(`/views/follow-ups${query}`).set(bearer(role));

  /** Opens a case for merchant `merchantId` and carries it to closure at the current clock. */
  async function closedCase(merchantId: string, customerId: string): Promise<string> {
    const { body } = await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody({ merchantId, customerId })).expect(201);
    const id = body.caseId as string;
    for (const [action, payload, role] of [
      ['acknowledge', {}, 'agent'],
      ['assign', { agentId: 'agent-7', team: 'returns' }, 'agent'],
      ['propose-resolution', { kind: 'EXPLANATION' }, 'agent'],
      ['accept-resolution', {}, 'service'],
      ['resolve', { summary: 'Explained the size chart' }, 'agent'],
    ] as const) {
      await act(id, action, payload, role).expect(200);
    }
    const closed = await act(id, 'close').expect(200);
    expect(closed.body).toMatchObject({ status: 'CLOSED', allowedActions: ['record-satisfaction', 'record-follow-up'] });
    return id;
  }

  it('lists closed cases when their follow-up is due, records the visits, reopens on ISSUE_RECURRED and counts the rates', async () => {
    api.clock.set('2026-05-04T10:00:00.000Z');
    const recurred = await closedCase('merch-fu', 'cust-fu-1');
    const satisfied = await closedCase('merch-fu', 'cust-fu-2');
    const notYet = await closedCase('merch-fu', 'cust-fu-3');
    await api.background.catchUp();

    // Closed at 10:00 on 4 May, FOLLOW_UP_DAYS 3: due at 10:00 on 7 May.
    expect((await followUps('?dueBefore=2026-05-07T09:59:59Z').expect(200)).body.followUps).toEqual([]);
    const due = await followUps('?dueBefore=2026-05-07T10:00:00Z&status=DUE').expect(200);
    expect(due.body.followUps).toHaveLength(3);
    expect(due.body.followUps.find((f: { caseId: string }) => f.caseId === recurred)).toEqual({
      caseId: recurred,
      sequence: 1,
      merchantId: 'merch-fu',
      customerId: 'cust-fu-1',
      caseType: 'RETURN',
      closedAt: '2026-05-04T10:00:00.000Z',
      dueAt: '2026-05-07T10:00:00.000Z',
      status: 'DUE',
      outcome: null,
      recordedAt: null,
    });

    api.clock.set('2026-05-07T11:00:00.000Z');
    const recorded = await act(recurred, 'record-follow-up', { outcome: 'ISSUE_RECURRED', note: 'Still too small after the exchange' }).expect(200);
    expect(recorded.body).toMatchObject({ caseId: recurred, status: 'CLOSED' });
    await act(satisfied, 'record-follow-up', { outcome: 'REACHED_SATISFIED' }).expect(200);
    const twice = await act(satisfied, 'record-follow-up', { outcome: 'UNREACHABLE' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', allowedActions: ['record-satisfaction'] });

    await api.background.catchUp();
    expect(await api.background.followUps.dispatchPending()).toEqual({ examined: 1, reopened: [recurred], failed: 0 });
    expect(await api.background.followUps.dispatchPending()).toEqual({ examined: 0, reopened: [], failed: 0 });
    await api.background.catchUp();

    const reopened = await request(api.http).get(`/cases/${recurred}`).set(bearer('agent')).expect(200);
    expect(reopened.body).toMatchObject({
      status: 'REOPENED',
      reopenCount: 1,
      followUps: [{ sequence: 1, dueAt: '2026-05-07T10:00:00.000Z', outcome: 'ISSUE_RECURRED', recordedAt: '2026-05-07T11:00:00.000Z' }],
    });
    const history = await request(api.http).get(`/cases/${recurred}/events`).set(bearer('analyst')).expect(200);
    const types = history.body.map((e: { type: string }) => e.type);
    expect(types.slice(-4)).toEqual(['CaseClosed', 'FollowUpScheduled', 'FollowUpRecorded', 'CaseReopened']);
    const [recordedEvent, reopenedEvent] = history.body.slice(-2);
    expect(reopenedEvent).toMatchObject({
      actor: { type: 'system', id: 'follow-ups' },
      causationId: recordedEvent.eventId,
      correlationId: recordedEvent.correlationId,
    });

    const done = await followUps('?status=DONE', 'analyst').expect(200);
    expect(done.body.followUps.map((f: { caseId: string; outcome: string }) => [f.caseId, f.outcome]).sort()).toEqual(
      [
        [recurred, 'ISSUE_RECURRED'],
        [satisfied, 'REACHED_SATISFIED'],
      ].sort(),
    );
    expect((await followUps('?status=DUE').expect(200)).body.followUps.map((f: { caseId: string }) => f.caseId)).toEqual([notYet]);

    const satisfaction = await request(api.http).get('/views/satisfaction?groupBy=merchant&merchantId=merch-fu').set(bearer('analyst')).expect(200);
    expect(satisfaction.body.groups).toEqual([
      expect.objectContaining({
        key: 'merch-fu',
        cases: 3,
        reopenRate: 0.3333, // the recurred case, reopened: 1 of 3
        // 2 of 3 follow-ups recorded; 1 of the 2 reached the customer, 1 of the 2 found the issue recurred
        followUp: { scheduled: 3, recorded: 2, completionRate: 0.6667, reachedRate: 0.5, recurrenceRate: 0.5 },
      }),
    ]);
  });

  it('refuses record-follow-up on a case that is not closed, naming the allowed actions', async () => {
    const { body } = await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201);
    const refused = await act(body.caseId, 'record-follow-up', { outcome: 'REACHED_SATISFIED' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', allowedActions: ['acknowledge', 'customer-message', 'escalate', 'reject', 'withdraw'] });
  });

  it('refuses a bad body or query with 400 naming each field, and the wrong roles with 403', async () => {
    const id = await closedCase('merch-fu-bad', 'cust-fu-9');
    const badBody = await act(id, 'record-follow-up', { outcome: 'HAPPY', note: 7, mood: 'ok' }).expect(400);
    expect(badBody.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['mood', 'note', 'outcome']);
    await act(id, 'record-follow-up', { outcome: 'REACHED_SATISFIED' }, 'service').expect(403);
    const badQuery = await followUps('?dueBefore=2026-02-30T10:00:00Z&status=LATE&colour=red').expect(400);
    expect(badQuery.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'dueBefore', 'status']);
    await followUps('', 'service').expect(403);
    await request(api.http).get('/views/follow-ups').set(bearer('auditor')).expect(403);
  });

  it('documents GET /views/follow-ups and record-follow-up in OpenAPI', async () => {
    const { body: doc } = await request(api.http).get('/docs-json').expect(200);
    const list = doc.paths['/views/follow-ups'].get;
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['dueBefore', 'status']));
    expect(doc.paths['/cases/{id}/record-follow-up'].post.responses).toHaveProperty('200');
  });
});
