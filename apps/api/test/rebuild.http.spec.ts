/** Rebuilding views from the store while queries are served, and the projection status for admins. */
import request from 'supertest';
import type { ProjectionAdmin } from '../src/admin/projection-admin';
import { PROJECTION_ADMIN } from '../src/composition/tokens';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';
import { EXPECTED_CUSTOMER_A, EXPECTED_SATISFACTION_BY_MERCHANT, LOYALTY_AS_OF, ViewScenario } from '../../../test/fixtures/view-scenario';

forEachStore('Rebuild', (openStorage) => {
  let api: ApiUnderTest;
  let story: ViewScenario;
  beforeEach(async () => {
    api = await startApi(await openStorage());
    story = new ViewScenario(api);
  });
  afterEach(async () => api.close());

  const admin = () => api.app.get<typeof PROJECTION_ADMIN, ProjectionAdmin>(PROJECTION_ADMIN);

  it('rebuilds a view into fresh tables while queries keep answering the same figures, then swaps it in', async () => {
    await story.run();
    await api.background.catchUp();
    const started = await request(api.http).post('/admin/projections/satisfaction/rebuild').set(bearer('admin')).expect(202);
    expect(started.body).toMatchObject({ projection: 'satisfaction', state: 'running' });
    let served = 0;
    const done = admin().settled('satisfaction');
    let finished = false;
    void done.then(() => (finished = true));
    do {
      const res = await request(api.http).get('/views/satisfaction?groupBy=merchant').set(bearer('analyst'));
      expect(res.status).toBe(200);
      expect(res.body.groups).toEqual(EXPECTED_SATISFACTION_BY_MERCHANT);
      served += 1;
    } while (!finished);
    expect(served).toBeGreaterThan(0);
    expect(await done).toMatchObject({ state: 'done', processed: expect.any(Number) });
    expect((await story.view('/views/satisfaction?groupBy=merchant')).body.groups).toEqual(EXPECTED_SATISFACTION_BY_MERCHANT);

    // The live projector goes on from where the rebuild ended: a new case counts once.
    await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ merchantId: 'm2', customerId: 'cust-Z' }))
      .expect(201);
    await api.background.catchUp();
    const m2 = (await story.view('/views/satisfaction?groupBy=merchant&merchantId=m2')).body.groups[0];
    expect(m2.cases).toBe(2);
  });

  it('rebuilds the loyalty view (cases and order facts) to the same figures, and reports status and lag', async () => {
    await story.run();
    await api.background.catchUp();
    await request(api.http).post('/admin/projections/loyalty/rebuild').set(bearer('admin')).expect(202);
    expect(await admin().settled('loyalty')).toMatchObject({ state: 'done' });
    api.clock.set(LOYALTY_AS_OF);
    expect((await story.view('/views/loyalty/customers/cust-A')).body).toEqual(EXPECTED_CUSTOMER_A);

    const status = await request(api.http).get('/admin/projections').set(bearer('admin')).expect(200);
    const loyalty = status.body.projections.find((p: { name: string }) => p.name === 'loyalty');
    expect(loyalty).toMatchObject({ deadLetters: 0, rebuild: { state: 'done' }, storeHead: expect.any(String) });
    if (api.store.kind !== 'eventstoredb') {
      expect(loyalty.checkpoints).toEqual([expect.objectContaining({ source: 'feed', lag: 0 })]);
    }
    await request(api.http).get('/admin/projections').set(bearer('analyst')).expect(403);
    admin().rebuild('escalation');
    expect(() => admin().rebuild('escalation')).toThrow(expect.objectContaining({ status: 409 })); // one rebuild per view at a time
    expect(await admin().settled('escalation')).toMatchObject({ state: 'done' });
    await request(api.http).post('/admin/projections/nonsense/rebuild').set(bearer('admin')).expect(404);
  });
});
