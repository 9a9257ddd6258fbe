/**
 * GET /views/early-warning: the cases about to breach (the escalation view's at-risk list) and the signals
 * raised, filtered by merchant and kind; the roles that may read it; bad filters refused with a 400 naming them;
 * its 200 answer in the OpenAPI document.
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

const T = Date.parse('2026-03-10T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

forEachStore('GET /views/early-warning', (openStorage) => {
  let api: ApiUnderTest;
  beforeEach(async () => {
    api = await startApi(await openStorage());
    api.clock.set(iso(T));
  });
  afterEach(async () => api.close());

  const view = (query = '', role: 'analyst' | 'agent' = 'analyst') => request(api.http).get(`/views/early-warning${query}`).set(bearer(role));
  let n = 0;
  async function open(merchantId: string, over: Record<string, unknown> = {}): Promise<string> {
    n += 1;
    const body = openCaseBody({ merchantId, orderId: `ord-h-${n}`, customerId: `cust-h-${n}`, ...over });
    return (await request(api.http).post('/cases').set(bearer('service')).send(body).expect(201)).body.caseId;
  }

  it('answers the at-risk cases of the escalation view and the raised signals, by merchant and kind', async () => {
    // Five cases of m-spike in one morning, no history: a complaint spike of the merchant and of its SKU.
    for (let i = 0; i < 5; i++) await open('m-spike');
    // One URGENT case of m-calm: its first response is due in 1 h, at risk from 45 min (warning ratio 0.75).
    const urgent = await open('m-calm', { priority: 'URGENT' });
    api.clock.set(iso(T + 50 * 60_000));
    await api.background.catchUp();
    const report = await api.background.earlyWarning.tick();
    expect(report.raised).toEqual(expect.arrayContaining(['COMPLAINT_SPIKE:m=m-spike', 'COMPLAINT_SPIKE:m=m-spike:sku=SHOE-42']));
    await api.background.catchUp();

    const { body } = await view().expect(200);
    const escalation = (await request(api.http).get('/views/escalation?state=at-risk').set(bearer('agent')).expect(200)).body;
    expect(body.asOf).toBe(iso(T + 50 * 60_000));
    expect(body.atRisk).toEqual(escalation.atRisk);
    expect(body.atRisk.map((c: { caseId: string }) => c.caseId)).toContain(urgent);
    const since = iso(T + 50 * 60_000);
    expect(body.signals).toEqual(
      expect.arrayContaining([
        { kind: 'COMPLAINT_SPIKE', scope: { merchantId: 'm-spike' }, window: 'PT24H', observed: 5, baseline: 0, score: 140, since },
        { kind: 'COMPLAINT_SPIKE', scope: { merchantId: 'm-spike', sku: 'SHOE-42' }, window: 'PT24H', observed: 5, baseline: 0, score: 140, since },
      ]),
    );

    const calm = (await view('?merchantId=m-calm', 'agent').expect(200)).body;
    expect(calm.atRisk.map((c: { caseId: string }) => c.caseId)).toEqual([urgent]);
    expect(calm.signals).toEqual([]);
    const spikes = (await view('?merchantId=m-spike&kind=COMPLAINT_SPIKE').expect(200)).body;
    expect(spikes.atRisk).toEqual([]);
    expect(spikes.signals.map((s: { scope: object }) => s.scope)).toEqual([{ merchantId: 'm-spike' }, { merchantId: 'm-spike', sku: 'SHOE-42' }]);
    expect((await view('?kind=SLA_BREACH_RATE').expect(200)).body.signals).toEqual([]);
  });

  it('refuses bad filters with a 400 naming each, and the roles that may not read it', async () => {
    const bad = await view(`?kind=EARTHQUAKE&merchantId=${'m'.repeat(101)}&colour=red`).expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'kind', 'merchantId']);
    await request(api.http).get('/views/early-warning').set(bearer('service')).expect(403);
    await request(api.http).get('/views/early-warning').set(bearer('auditor')).expect(403);
    await request(api.http).get('/views/early-warning').expect(401);
  });

  it('is in the OpenAPI document with its 200 answer, the signal kinds and the filters', async () => {
    const { body: doc } = await request(api.http).get('/docs-json').expect(200);
    const get = doc.paths['/views/early-warning'].get;
    expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['kind', 'merchantId']);
    const ok = get.responses['200'].content['application/json'].schema;
    const viewSchema = doc.components.schemas[ok.$ref.split('/').pop()];
    expect(Object.keys(viewSchema.properties).sort()).toEqual(['asOf', 'atRisk', 'signals']);
    const signal = doc.components.schemas[viewSchema.properties.signals.items.$ref.split('/').pop()];
    expect(Object.keys(signal.properties).sort()).toEqual(['baseline', 'kind', 'observed', 'scope', 'score', 'since', 'window']);
    expect(signal.properties.kind.enum).toEqual(['COMPLAINT_SPIKE', 'NEGATIVE_SENTIMENT_SURGE', 'REPEAT_CONTACTS', 'SLA_BREACH_RATE']);
  });
});
