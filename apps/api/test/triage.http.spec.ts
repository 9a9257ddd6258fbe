/**
 * HTTP: triage (SPEC section 4). Opening a case records CaseTriaged right after CaseOpened, GET /cases/{id}
 * shows it, a regulator mention escalates to L3, a second case about the same order is a repeat complaint;
 * POST /triage answers the same analysis without opening a case.
 */
import request from 'supertest';
import { TRIAGE_ANALYSER_VERSION } from '@aftersales/triage';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';

describe('HTTP: triage', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api.close());

  it('given a case whose text names a regulator, when it opens, then it is triaged, shown, and escalated to L3', async () => {
    const body = openCaseBody({ orderId: 'ord-t1', reason: '屏幕坏了', description: '手机用了三天就黑屏，再不处理我就打１２３１５投诉！' });
    const opened = await request(api.http).post('/cases').set(bearer('service')).send(body).expect(201);
    const events = await request(api.http).get(`/cases/${opened.body.caseId}/events`).set(bearer('auditor')).expect(200);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(['CaseOpened', 'CaseTriaged', 'CaseEscalated']);
    expect(events.body[1]).toMatchObject({ actor: { type: 'system', id: 'triage' }, data: { analyserVersion: TRIAGE_ANALYSER_VERSION } });
    const view = await request(api.http).get(`/cases/${opened.body.caseId}`).set(bearer('agent')).expect(200);
    expect(view.body.escalation.level).toBe('L3');
    expect(view.body.triage).toMatchObject({
      analyserVersion: TRIAGE_ANALYSER_VERSION,
      language: 'zh',
      sentiment: { label: 'NEGATIVE', evidence: expect.arrayContaining([expect.objectContaining({ feature: expect.any(String) })]) },
      suggestedPriority: { priority: 'URGENT', evidence: ['regulator mention: 12315'] },
      regulatorMention: { mentioned: true, terms: ['12315'] },
      repeatComplaint: { repeat: false, priorCaseIds: [] },
    });
  });

  it('given a plain request, when it opens, then it is triaged without an escalation', async () => {
    const opened = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ orderId: 'ord-t2' }))
      .expect(201);
    const view = await request(api.http).get(`/cases/${opened.body.caseId}`).set(bearer('agent')).expect(200);
    expect(view.body.escalation.level).toBe('L0');
    expect(view.body.triage).toMatchObject({ language: 'en', regulatorMention: { mentioned: false, terms: [] } });
  });

  it('given an earlier case of the same customer and order, when another opens, then it is a repeat complaint', async () => {
    const first = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-r', orderId: 'ord-r' }))
      .expect(201);
    await api.background.catchUp();
    const again = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-r', orderId: 'ord-r', description: 'Still the wrong size after the exchange.' }))
      .expect(201);
    const other = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-r', orderId: 'ord-other' }))
      .expect(201);
    const repeat = await request(api.http).get(`/cases/${again.body.caseId}`).set(bearer('agent')).expect(200);
    expect(repeat.body.triage.repeatComplaint).toEqual({ repeat: true, priorCaseIds: [first.body.caseId] });
    expect(repeat.body.triage.suggestedPriority.evidence).toContain(`repeat complaint: earlier case ${first.body.caseId}`);
    const notRepeat = await request(api.http).get(`/cases/${other.body.caseId}`).set(bearer('agent')).expect(200);
    expect(notRepeat.body.triage.repeatComplaint).toEqual({ repeat: false, priorCaseIds: [] });
  });

  it('POST /triage answers the same analysis as opening would, for services and agents', async () => {
    const text = "I'm not happy: the kettle leaks. Refund me or I will file a chargeback.";
    for (const role of ['service', 'agent'] as const) {
      const res = await request(api.http).post('/triage').set(bearer(role)).send({ text }).expect(200);
      expect(res.body).toMatchObject({
        analyserVersion: TRIAGE_ANALYSER_VERSION,
        language: 'en',
        sentiment: { label: 'NEGATIVE' },
        suggestedType: { type: 'REFUND', evidence: expect.arrayContaining(['refund']) },
        regulatorMention: { mentioned: true, terms: ['chargeback'] },
      });
    }
    const before = await request(api.http).get('/cases/00000000-0000-4000-8000-000000000000').set(bearer('agent'));
    expect(before.status).toBe(404);
  });

  it('POST /triage refuses other roles and bad bodies with a 4xx', async () => {
    await request(api.http).post('/triage').send({ text: 'hello' }).expect(401);
    await request(api.http).post('/triage').set(bearer('analyst')).send({ text: 'hello' }).expect(403);
    for (const body of [{}, { text: '' }, { text: 42 }, { text: 'x'.repeat(10_501) }, { text: 'ok', extra: true }]) {
      const res = await request(api.http).post('/triage').set(bearer('agent')).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
  });
});
