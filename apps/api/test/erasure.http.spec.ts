/** Erasure by crypto-shredding: personal data unreadable afterwards, everything else exactly as before. */
import request from 'supertest';
import type { ProjectionAdmin } from '../src/admin/projection-admin';
import { PROJECTION_ADMIN } from '../src/composition/tokens';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

forEachStore('Erasure', (openStorage) => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(await openStorage());
  });
  afterAll(async () => api.close());

  const get = (path: string, role: 'agent' | 'analyst' | 'auditor' = 'auditor') => request(api.http).get(path).set(bearer(role)).expect(200);

  it('seals contact details in the store, erases them on request, and leaves the chain, views and rebuilds intact', async () => {
    const contact = { name: 'Li Wei', phone: '+86 138 0000 0000', email: 'li.wei@example.com' };
    const id = (
      await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ customerId: 'cust-erase', contact }))
        .expect(201)
    ).body.caseId;
    await request(api.http).post(`/cases/${id}/acknowledge`).set(bearer('agent')).send({}).expect(200);
    expect((await get(`/cases/${id}`, 'agent')).body.contact).toEqual(contact);
    const stored = JSON.stringify(await api.store.readStream(`case-${id}`));
    expect(stored).not.toContain('li.wei@example.com');
    expect(stored).not.toContain('Li Wei');
    expect((await get(`/cases/${id}/events`)).body[0].data.contact).toMatchObject({ sealed: 'AES-256-GCM' });

    await api.background.catchUp();
    const before = {
      chain: (await get(`/audit/cases/${id}/verify`)).body,
      satisfaction: (await get('/views/satisfaction?groupBy=merchant', 'analyst')).body,
      escalation: (await get('/views/escalation', 'agent')).body,
      compliance: (await get('/audit/compliance?profile=EU')).body.summary,
    };

    await request(api.http).delete('/customers/cust-erase/personal-data').set(bearer('agent')).expect(403);
    const erased = await request(api.http).delete('/customers/cust-erase/personal-data').set(bearer('admin')).expect(200);
    expect(erased.body).toMatchObject({ customerId: 'cust-erase', erased: true, keysDestroyed: 1 });

    expect((await get(`/cases/${id}`, 'agent')).body).toMatchObject({ contact: '[erased]', customerId: 'cust-erase', status: 'ACKNOWLEDGED' });
    const chain = (await get(`/audit/cases/${id}/verify`)).body;
    expect({ valid: chain.valid, headHash: chain.headHash, events: chain.events }).toEqual({
      valid: true,
      headHash: before.chain.headHash,
      events: before.chain.events,
    });
    expect((await get('/views/satisfaction?groupBy=merchant', 'analyst')).body).toEqual(before.satisfaction);
    expect((await get('/audit/compliance?profile=EU')).body.summary).toEqual(before.compliance);

    const admin = api.app.get<typeof PROJECTION_ADMIN, ProjectionAdmin>(PROJECTION_ADMIN);
    admin.rebuild('escalation');
    expect(await admin.settled('escalation')).toMatchObject({ state: 'done' });
    const after = (await get('/views/escalation', 'agent')).body;
    expect({ ...after, asOf: undefined }).toEqual({ ...before.escalation, asOf: undefined });

    const again = await request(api.http).delete('/customers/cust-erase/personal-data').set(bearer('admin')).expect(200);
    expect(again.body.keysDestroyed).toBe(0);
    // A later case of the same customer gets a new key and is readable.
    const later = (
      await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ customerId: 'cust-erase', contact: { email: 'new@example.com' } }))
        .expect(201)
    ).body.caseId;
    expect((await get(`/cases/${later}`, 'agent')).body.contact).toEqual({ email: 'new@example.com' });
  });
});
