import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, startApi } from '../../../test/harness/api-under-test';

describe('Rate limiting', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(undefined, { rateLimit: { perSecond: 2, burst: 3 } });
  });
  afterAll(async () => api.close());

  it('answers 429 with Retry-After past the burst, per caller, and lets the caller in again as the bucket refills', async () => {
    const ask = (role: 'agent' | 'analyst') => request(api.http).get('/views/escalation').set(bearer(role));
    for (let i = 0; i < 3; i++) await ask('agent').expect(200);
    const limited = await ask('agent').expect(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', retryable: true });
    await ask('analyst').expect(200); // another caller has its own bucket
    for (let i = 0; i < 5; i++) await request(api.http).get('/health').expect(200); // never limited
    await new Promise((r) => setTimeout(r, 600)); // 2 per second: one request's worth after 0.5 s
    await ask('agent').expect(200);
  });
});
