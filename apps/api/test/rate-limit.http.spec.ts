import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { getStorageToken } from '@nestjs/throttler';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { TOKENS, bearer, startApi } from '../../../test/harness/api-under-test';
import type { TokenBucketStorage } from '../src/http/rate-limit.storage';

const SECOND_AGENT = 'second-agent-token-for-tests-01';
const METRICS_TOKEN = 'metrics-token-for-tests-000001';

/** One GET from a chosen loopback address (Linux routes all of 127.0.0.0/8 to lo), so tests can be many clients. */
function getFrom(
  api: { port: number },
  localAddress: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: api.port, path, localAddress, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : {}, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listening(api: ApiUnderTest): Promise<{ port: number }> {
  await new Promise<void>((resolve) => api.http.listen(0, '127.0.0.1', resolve));
  return { port: (api.http.address() as AddressInfo).port };
}

describe('Rate limiting per principal (per address before authentication), with bounded memory', () => {
  let api: ApiUnderTest;
  let server: { port: number };
  beforeAll(async () => {
    api = await startApi(undefined, {
      rateLimit: { perSecond: 2, burst: 3, maxBuckets: 20 },
      extraTokens: [
        { role: 'agent', token: SECOND_AGENT },
        { role: 'metrics', token: METRICS_TOKEN },
      ],
    });
    server = await listening(api);
  });
  afterAll(async () => api.close());
  /** Each test starts with full buckets: the clock moves on by more than a whole bucket's refill. */
  beforeEach(() => api.clock.advance(60_000));

  const escalation = (authorization?: string) => {
    const r = request(api.http).get('/views/escalation');
    return authorization === undefined ? r : r.set('Authorization', authorization);
  };

  it('answers 429 with Retry-After and the usual error body past the burst, and lets the caller in again as the clock refills the bucket', async () => {
    for (let i = 0; i < 3; i++) await escalation(`Bearer ${TOKENS.agent}`).expect(200);
    const limited = await escalation(`Bearer ${TOKENS.agent}`).set('X-Correlation-Id', 'corr-rate-limit-1').expect(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      retryable: true,
      correlationId: 'corr-rate-limit-1',
    });
    await escalation(`Bearer ${TOKENS.analyst}`).expect(200); // another principal has its own bucket
    for (let i = 0; i < 5; i++) await request(api.http).get('/health/live').expect(200); // probes are never limited
    api.clock.advance(499);
    await escalation(`Bearer ${TOKENS.agent}`).expect(429); // 2 per second: not yet one request's worth
    api.clock.advance(1);
    await escalation(`Bearer ${TOKENS.agent}`).expect(200);
    await escalation(`Bearer ${TOKENS.agent}`).expect(429);
  });

  it('counts every spelling of one token (scheme case, spaces, tabs) against one bucket', async () => {
    const spellings = [`Bearer ${TOKENS.agent}`, `bearer ${TOKENS.agent}`, `BEARER   ${TOKENS.agent}  `];
    for (const spelling of spellings) await escalation(spelling).expect(200);
    for (const spelling of [...spellings, `\tBeArEr\t${TOKENS.agent}`]) await escalation(spelling).expect(429);
  });

  it('gives two tokens of the same role separate buckets', async () => {
    for (let i = 0; i < 3; i++) await escalation(`Bearer ${TOKENS.agent}`).expect(200);
    await escalation(`Bearer ${TOKENS.agent}`).expect(429);
    for (let i = 0; i < 3; i++) await escalation(`Bearer ${SECOND_AGENT}`).expect(200);
    await escalation(`Bearer ${SECOND_AGENT}`).expect(429);
  });

  it('limits requests without a valid token per client address, apart from the principals calling from there', async () => {
    const results = [];
    for (const auth of [undefined, 'Bearer wrong-token-1', 'Bearer wrong-token-2', 'Basic YWdlbnQ6cGFzcw==']) {
      results.push((await getFrom(server, '127.0.0.2', '/views/escalation', auth ? { authorization: auth } : {})).status);
    }
    expect(results).toEqual([401, 401, 401, 429]); // one bucket for the address, whatever (wrong) token is sent
    expect((await getFrom(server, '127.0.0.3', '/views/escalation', { authorization: 'Bearer wrong-token-1' })).status).toBe(401);
    expect((await getFrom(server, '127.0.0.2', '/views/escalation', bearer('auditor'))).status).toBe(403); // a valid token: its own bucket
  });

  it('keeps at most maxBuckets buckets, dropping the least recently used one at a time, never an active principal', async () => {
    const storage = api.app.get<TokenBucketStorage>(getStorageToken(), { strict: false });
    for (let i = 0; i < 3; i++) await escalation(`Bearer ${TOKENS.agent}`).expect(200);
    for (let i = 0; i < 4; i++) await getFrom(server, '127.0.1.1', '/views/escalation'); // this address is now limited
    expect((await getFrom(server, '127.0.1.1', '/views/escalation')).status).toBe(429);
    for (let n = 2; n < 62; n++) {
      expect((await getFrom(server, `127.0.1.${n}`, '/views/escalation')).status).toBe(401);
      if (n % 5 === 0) await escalation(`Bearer ${TOKENS.agent}`).expect(429); // active: its bucket stays, still empty
      expect(storage.size).toBeLessThanOrEqual(20);
    }
    // The idle address's bucket was the least recently used and went; it starts afresh (401, not 429).
    expect((await getFrom(server, '127.0.1.1', '/views/escalation')).status).toBe(401);
  });

  describe('/metrics', () => {
    it('needs an admin or metrics token (401 without, 403 for other roles) and is limited like everything else', async () => {
      const none = await request(api.http).get('/metrics').expect(401);
      expect(none.body).toMatchObject({ code: 'UNAUTHENTICATED' });
      await request(api.http).get('/metrics').set(bearer('agent')).expect(403);
      expect((await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text).toContain('aftersales_');
      await request(api.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      await request(api.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      await request(api.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      await request(api.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(429);
    });

    it('the metrics token reads nothing else', async () => {
      await escalation(`Bearer ${METRICS_TOKEN}`).expect(403);
    });
  });
});

describe('/metrics with METRICS_PUBLIC=true, and no rate limit configured', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(undefined, { metricsPublic: true });
  });
  afterAll(async () => api.close());

  it('answers without a token, and nothing is limited when the limit is off (as the bench runs it)', async () => {
    expect((await request(api.http).get('/metrics').expect(200)).text).toContain('aftersales_');
    for (let i = 0; i < 30; i++) await request(api.http).get('/views/escalation').set(bearer('agent')).expect(200);
    await request(api.http).get('/views/escalation').expect(401);
  });
});
