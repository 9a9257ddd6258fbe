/**
 * Fixes found by replaying real data, over HTTP: jurisdiction profiles and regulator terms as configuration (a BR
 * profile with Procon from COMPLIANCE_PROFILES_FILE, validated at start-up), customer messages matched against the
 * same configured regulator terms as triage, and satisfaction on a rejected-then-closed case in the views.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { complianceConfigurationFromEnvironment } from '../src/composition/compliance-config';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';

/** The BR example of docs/compliance.md, written to a file as a deployment would. */
function brProfilesFile(): string {
  const doc = readFileSync(resolve(__dirname, '../../../docs/compliance.md'), 'utf8');
  const file = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'profiles.json');
  writeFileSync(file, /```json\n([\s\S]*?)```/.exec(doc)![1]);
  return file;
}

describe('HTTP: jurisdiction profiles and regulator terms from configuration', () => {
  let api: ApiUnderTest;
  const saved = process.env.COMPLIANCE_PROFILES_FILE;
  beforeAll(async () => {
    process.env.COMPLIANCE_PROFILES_FILE = brProfilesFile();
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
    if (saved === undefined) delete process.env.COMPLIANCE_PROFILES_FILE;
    else process.env.COMPLIANCE_PROFILES_FILE = saved;
  });

  const open = async (over: Record<string, unknown> = {}) =>
    (
      await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ contact: undefined, ...over }))
        .expect(201)
    ).body.caseId as string;
  const act = (id: string, action: string, body: object = {}, role: 'agent' | 'service' = 'agent') =>
    request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body).expect(200);
  const escalations = async (id: string) =>
    (await request(api.http).get(`/cases/${id}/events`).set(bearer('auditor')).expect(200)).body
      .filter((e: { type: string }) => e.type === 'CaseEscalated')
      .map((e: { data: { level: string; reason: string } }) => [e.data.level, e.data.reason]);

  it('given the BR profile, a return rejected inside its 7-day window is a violation of BR (and a 400 names unknown profiles)', async () => {
    api.clock.set('2026-03-02T15:00:00.000Z'); // delivered 12:00 in São Paulo
    await request(api.http)
      .post('/order-events')
      .set(bearer('service'))
      .send({
        events: [
          { eventId: 'br-1-delivered', type: 'OrderDelivered', orderId: 'BR-1', customerId: 'cust-br', merchantId: 'm-br', occurredAt: '2026-03-02T15:00:00Z' },
        ],
      })
      .expect(200);
    api.clock.set('2026-03-09T20:00:00.000Z'); // 9 March 17:00 in São Paulo: the last day of the window
    const id = await open({ type: 'RETURN', orderId: 'BR-1', customerId: 'cust-br', merchantId: 'm-br', reason: 'Desisti', description: 'Não quero mais' });
    await act(id, 'acknowledge');
    await act(id, 'reject', { reasonCode: 'OUT_OF_RETURN_WINDOW' });

    const br = (await request(api.http).get('/audit/compliance?profile=BR&merchantId=m-br').set(bearer('auditor')).expect(200)).body;
    expect(br.violations.map((v: { rule: string; profile: string; caseId: string }) => [v.rule, v.profile, v.caseId])).toEqual([
      ['NO_REASON_RETURN_WINDOW', 'BR', id],
    ]);
    const cn = (await request(api.http).get('/audit/compliance?profile=CN&merchantId=m-br').set(bearer('auditor')).expect(200)).body;
    expect(cn.violations).toEqual([]); // CN's window (Shanghai days) closed hours earlier

    const unknown = await request(api.http).get('/audit/compliance?profile=XX').set(bearer('auditor')).expect(400);
    expect(unknown.body.message).toBe("no jurisdiction profile 'XX'; known: CN, EU, BR");
  });

  it('a customer message naming a term of the BR profile escalates to L3, like one naming Procon', async () => {
    const viaProfile = await open({ customerId: 'cust-msg-1' });
    await act(viaProfile, 'customer-message', { message: 'Se não resolverem vou reclamar na Senacon.' }, 'service');
    expect(await escalations(viaProfile)).toEqual([['L3', 'REGULATOR_MENTION']]);

    const procon = await open({ customerId: 'cust-msg-2' });
    await act(procon, 'customer-message', { message: 'Vou registrar uma reclamação no PROCON amanhã.' }, 'service');
    expect(await escalations(procon)).toEqual([['L3', 'REGULATOR_MENTION']]);

    const calm = await open({ customerId: 'cust-msg-3' });
    await act(calm, 'customer-message', { message: 'Obrigado, aguardo o reembolso.' }, 'service');
    expect(await escalations(calm)).toEqual([]);
  });

  it('given a rejected, closed case rated 2, then an L1 review is recorded and the views count the rating', async () => {
    const id = await open({ customerId: 'cust-rejected', merchantId: 'm-rejected', type: 'COMPLAINT', reason: 'Late', description: 'The parcel was late.' });
    await act(id, 'acknowledge');
    await act(id, 'reject', { reasonCode: 'NOT_COVERED' });
    await act(id, 'close');
    await act(id, 'record-satisfaction', { score: 2, comment: 'Unfair' }, 'service');
    expect(await escalations(id)).toEqual([['L1', 'LOW_SATISFACTION']]);

    await api.background.catchUp();
    const satisfaction = (await request(api.http).get('/views/satisfaction?groupBy=merchant&merchantId=m-rejected').set(bearer('analyst')).expect(200)).body;
    expect(satisfaction.groups[0]).toMatchObject({ cases: 1, rated: 1, meanCsat: 2, satisfiedShare: 0, complaintResolutionRate: 0 });
    const loyalty = (await request(api.http).get('/views/loyalty/customers/cust-rejected').set(bearer('analyst')).expect(200)).body;
    expect(loyalty).toMatchObject({
      cases: { byOutcome: { REJECTED: 1 } },
      meanCsat: 2,
      churnRisk: { level: 'HIGH', reasons: ['LOW_SATISFACTION', 'CASE_REJECTED'] },
    });
  });
});

describe('Compliance configuration at start-up', () => {
  it('refuses a profiles file with a problem, naming the file and the field', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ profiles: [{ id: 'BR' }] }));
    expect(() => complianceConfigurationFromEnvironment({ COMPLIANCE_PROFILES_FILE: file })).toThrow(
      `${file} is not valid: profiles[0].name must be a non-empty string`,
    );
  });

  it('without files, has the built-in profiles and triage terms', () => {
    const { jurisdictions, triage } = complianceConfigurationFromEnvironment({});
    expect(jurisdictions.ids()).toEqual(['CN', 'EU']);
    expect(triage.mentionsRegulator('Se não resolverem vou reclamar na Senacon.')).toBe(false); // the BR profile's own term
    expect(triage.mentionsRegulator('我要打12315投诉')).toBe(true);
  });
});
