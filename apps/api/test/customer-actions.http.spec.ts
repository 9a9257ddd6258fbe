/** Actions that are the customer's own (spec section 7): a service may send them, and they are recorded as the customer's. */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';

describe('HTTP: the customer ships the return', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api.close());

  it('return-shipped is the customer’s action: a service may send it, and it is recorded as the customer’s', async () => {
    const { body: opened } = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-ret' }))
      .expect(201);
    const id = opened.caseId as string;
    const steps: Array<[string, object, 'agent' | 'service']> = [
      ['acknowledge', {}, 'agent'],
      ['assign', { agentId: 'agent-7' }, 'agent'],
      ['propose-resolution', { kind: 'REFUND', currency: 'EUR' }, 'agent'],
      ['accept-resolution', {}, 'service'],
      ['authorize-return', { rmaNumber: 'RMA-9' }, 'agent'],
      ['return-shipped', { carrier: 'SF', trackingNumber: 'SF9' }, 'service'],
    ];
    for (const [action, body, role] of steps) {
      const res = await request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body);
      expect({ action, status: res.status }).toEqual({ action, status: 200 });
    }
    const events = await request(api.http).get(`/cases/${id}/events`).set(bearer('auditor')).expect(200);
    const shipped = events.body.find((e: { type: string }) => e.type === 'ReturnShipped');
    expect(shipped.actor).toMatchObject({ type: 'customer', id: 'cust-ret', via: { type: 'service' } });
    await request(api.http).post(`/cases/${id}/return-received`).set(bearer('service')).send({ condition: 'INTACT' }).expect(403);
  });
});
