/**
 * Hostile input against every endpoint: the endpoint list comes from the app's own OpenAPI document (so a new
 * route is covered as soon as it exists), and each case of the corpus below is sent to each endpoint it applies
 * to (bodies to routes with a request body, query cases to each query parameter, path cases to each path
 * parameter). Whatever the answer, it is never a 5xx, and a refused request writes nothing (the store's head
 * position does not move). Named cases then check the exact answer of the cases spec section 7 lists.
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { TOKENS, bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import type { Role } from '@aftersales/runtime-config';

type Operation = { method: string; path: string; query: string[]; pathParams: string[]; hasBody: boolean };

const deep = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** Raw bodies: [label, content type, body text]. JSON escapes spell the lone surrogate and NUL as clients send them. */
const BODIES: Array<[string, string, string]> = [
  ['lone high surrogate in a string', 'application/json', '{"note":"\\ud800","reason":"x\\udfff","message":"\\ud800"}'],
  ['lone surrogate in a key', 'application/json', '{"\\ud800":"x"}'],
  ['NUL in a string', 'application/json', '{"note":"a\\u0000b"}'],
  ['array nested 2,000 deep', 'application/json', deep(2000)],
  ['object nested 2,000 deep', 'application/json', deepObject(2000)],
  ['array nested 100,000 deep', 'application/json', deep(100_000)],
  ['huge amount', 'application/json', '{"amount":1e308,"couponAmount":1e308,"points":1e308}'],
  ['amount beyond double range', 'application/json', '{"amount":1e400}'],
  ['negative amount', 'application/json', '{"amount":-1e308,"couponAmount":-5}'],
  ['expectedRevision null', 'application/json', '{"expectedRevision":null}'],
  ['expectedRevision huge', 'application/json', '{"expectedRevision":1e308}'],
  ['null body', 'application/json', 'null'],
  ['string body', 'application/json', '"text"'],
  ['array body', 'application/json', '[1,2,3]'],
  ['malformed JSON', 'application/json', '{"note":'],
  ['prototype pollution', 'application/json', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'],
  ['form-encoded', 'application/x-www-form-urlencoded', 'note=x&reason=y'],
  ['text/plain', 'text/plain', '{"note":"x"}'],
  ['multipart', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--b--\r\n'],
  ['JSON in another charset', 'application/json; charset=latin1', '{"note":"x"}'],
  ['oversized body', 'application/json', JSON.stringify({ note: 'x'.repeat(2_200_000) })],
];

/** Query and path values (already URL-encoded where they must be). */
const QUERY_VALUES: Array<[string, string]> = [
  ['impossible day', '2026-02-31'],
  ['impossible time', '2026-13-45T25:61:00Z'],
  ['not a date', 'yesterday'],
  ['year 0 and beyond', '%2B275760-09-13T00:00:00Z'],
  ['invalid UTF-8 (CESU surrogate)', '%ED%A0%80'],
  ['NUL', 'a%00b'],
  ['NFD id', 'e%CC%81'],
  ['full-width id', '%EF%BD%8F%EF%BD%92%EF%BD%84'],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['huge number', '1e308'],
  ['negative', '-1'],
];
const PATH_VALUES: Array<[string, string]> = [
  ['NUL', 'abc%00def'],
  ['invalid UTF-8', '%ED%A0%80'],
  ['bad escape', '%E0%A4%A'],
  ['NFD id', 'caf%65%CC%81'],
  ['full-width id', '%EF%BD%8F%EF%BD%92%EF%BD%84-%EF%BC%91'],
  ['dot segments', '..%2F..%2Fetc'],
  ['5,000 characters', 'y'.repeat(5000)],
  ['space and controls', 'a%20b%09c'],
];

function operationsOf(document: {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>>;
}): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      out.push({
        method,
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        hasBody: op.requestBody !== undefined || ['post', 'put', 'patch'].includes(method),
      });
    }
  }
  return out;
}

describe('Hostile input against every endpoint of the OpenAPI document: never a 5xx, nothing half-written', () => {
  let api: ApiUnderTest;
  let operations: Operation[];
  let caseId: string;
  const roleFor = new Map<string, Role | undefined>();

  beforeAll(async () => {
    api = await startApi();
    caseId = (await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201)).body.caseId;
    operations = operationsOf((await request(api.http).get('/docs-json').expect(200)).body);
    // The role each route allows (the first whose token is not refused), so the hostile input reaches validation.
    for (const op of operations) {
      const url = op.path.replace(/\{[^}]+\}/g, caseId);
      let allowed: Role | undefined;
      for (const role of Object.keys(TOKENS) as Role[]) {
        const client = request(api.http);
        const probe = await client[op.method as 'get'](url)
          .set(bearer(role))
          .set('Content-Type', 'application/json')
          .send(op.hasBody ? '{"zzUnknownField":1}' : undefined);
        if (probe.status !== 401 && probe.status !== 403) {
          allowed = role;
          break;
        }
      }
      roleFor.set(`${op.method} ${op.path}`, allowed);
    }
  }, 120_000);
  afterAll(async () => api.close());

  const head = () => api.store.headPosition();

  /** Sends one request; checks no 5xx, and no write unless the request succeeded. Returns the status. */
  async function send(op: Operation, url: string, body?: [string, string]): Promise<number> {
    const before = await head();
    const role = roleFor.get(`${op.method} ${op.path}`);
    let r = request(api.http)[op.method as 'get'](url);
    if (role) r = r.set(bearer(role));
    if (body) r = r.set('Content-Type', body[0]).send(body[1]);
    const res = await r;
    const what = `${op.method.toUpperCase()} ${url.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    expect({ what, serverError: res.status >= 500 }).toEqual({ what, serverError: false });
    if (res.status >= 400) {
      expect({ what, headMoved: (await head()) !== before }).toEqual({ what, headMoved: false });
      if (res.headers['content-type']?.includes('json'))
        expect({ what, correlationId: typeof res.body.correlationId }).toEqual({ what, correlationId: 'string' });
    }
    return res.status;
  }

  it('derives the endpoints from the OpenAPI document (every route, not a copy)', () => {
    const listed = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /cases',
        'POST /cases/{id}/reply',
        'GET /views/satisfaction',
        'POST /order-events',
        'GET /audit/compliance',
        'GET /metrics',
      ]),
    );
    expect(listed.length).toBeGreaterThan(30);
  });

  it.each(BODIES)(
    'body: %s',
    async (_label, contentType, text) => {
      for (const op of operations.filter((o) => o.hasBody)) await send(op, op.path.replace(/\{[^}]+\}/g, caseId), [contentType, text]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    180_000,
  );

  it.each(QUERY_VALUES)(
    'query value: %s',
    async (_label, value) => {
      for (const op of operations.filter((o) => o.query.length)) {
        for (const name of op.query) await send(op, `${op.path.replace(/\{[^}]+\}/g, caseId)}?${name}=${value}`);
        await send(op, `${op.path.replace(/\{[^}]+\}/g, caseId)}?${op.query[0]}=a&${op.query[0]}=b&${op.query[0]}[x]=1`);
      }
    },
    180_000,
  );

  it.each(PATH_VALUES)(
    'path value: %s',
    async (_label, value) => {
      for (const op of operations.filter((o) => o.pathParams.length)) await send(op, op.path.replace(/\{[^}]+\}/g, value));
    },
    180_000,
  );

  describe('the answers spec section 7 names', () => {
    const post = (path: string, body: unknown, role: Role = 'service') =>
      request(api.http)
        .post(path)
        .set(bearer(role))
        .send(body as object);
    const fieldsOf = (res: { body: { fields?: Array<{ field: string }> } }) => (res.body.fields ?? []).map((f) => f.field);

    it('an invalid date in any date query parameter is a 400 naming the parameter', async () => {
      for (const [path, role] of [
        ['/views/satisfaction?from=2026-02-31', 'analyst'],
        ['/views/satisfaction?to=2026-13-01', 'analyst'],
        ['/views/loyalty/impact?from=2026-02-30T00:00:00Z', 'analyst'],
        ['/audit/compliance?to=soon', 'auditor'],
      ] as const) {
        const res = await request(api.http).get(path).set(bearer(role)).expect(400);
        expect(fieldsOf(res)).toEqual([path.includes('from=') ? 'from' : 'to']);
      }
      expect(fieldsOf(await request(api.http).get(`/cases/${caseId}?asOf=2026-02-31T00:00:00Z`).set(bearer('agent')).expect(400))).toEqual(['asOf']);
    });

    it('a lone surrogate anywhere in a body (a value, a nested value, a key) is a 400 naming where', async () => {
      const res = await post('/cases', openCaseBody({ reason: 'broken \ud800', contact: { name: 'x\udc00' } })).expect(400);
      expect(fieldsOf(res)).toEqual(['reason', 'contact.name']);
      expect(res.body.fields[0].problems[0]).toMatch(/lone UTF-16 surrogate/);
      const key = await request(api.http).post('/cases').set(bearer('service')).set('Content-Type', 'application/json').send('{"\\udc00":1}').expect(400);
      expect(key.body.fields[0].problems).toEqual([expect.stringMatching(/lone UTF-16 surrogate/)]);
      // A URL cannot carry one: UTF-8 has no lone surrogates, and an undecodable %ED%A0%80 stays text (corpus above).
    });

    it('a body that is JSON but not an object (an array, a number) is a 400, not taken as an empty action', async () => {
      const id = (await post('/cases', openCaseBody()).expect(201)).body.caseId;
      for (const text of ['[1,2,3]', '[]']) {
        const res = await request(api.http)
          .post(`/cases/${id}/acknowledge`)
          .set(bearer('agent'))
          .set('Content-Type', 'application/json')
          .send(text)
          .expect(400);
        expect(fieldsOf(res)).toEqual(['(body)']);
      }
      expect((await request(api.http).get(`/cases/${id}`).set(bearer('agent')).expect(200)).body.status).toBe('OPEN');
    });

    it('JSON nested 2,000 and 100,000 levels deep is a 400 before it is parsed (the limit is 64)', async () => {
      const twoThousand = await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .set('Content-Type', 'application/json')
        .send(deepObject(2000))
        .expect(400);
      expect(twoThousand.body).toMatchObject({ code: 'BODY_TOO_DEEP', fields: [{ field: '(body)' }] });
      const hundredThousand = await request(api.http)
        .post('/order-events')
        .set(bearer('service'))
        .set('Content-Type', 'application/json')
        .send(`{"events":${deep(100_000)}}`)
        .expect(400);
      expect(hundredThousand.body.code).toBe('BODY_TOO_DEEP');
      await request(api.http).post('/cases').set(bearer('service')).set('Content-Type', 'application/json').send(deep(64)).expect(400); // at the limit: parsed, then refused as not an opening
    });

    it('money: huge, non-finite and negative amounts are refused where they are amounts', async () => {
      expect(fieldsOf(await post('/cases', openCaseBody({ items: [{ sku: 'A', quantity: 1, amount: 1e308 }] })).expect(400))).toEqual(['items.0.amount']);
      expect(fieldsOf(await post('/cases', openCaseBody({ items: [{ sku: 'A', quantity: 1, amount: -1 }] })).expect(400))).toEqual(['items.0.amount']);
      const id = (await post('/cases', openCaseBody()).expect(201)).body.caseId;
      await request(api.http).post(`/cases/${id}/acknowledge`).set(bearer('agent')).send({}).expect(200);
      await request(api.http).post(`/cases/${id}/assign`).set(bearer('agent')).send({ agentId: 'agent-1' }).expect(200);
      for (const amount of [1e308, -5, 1_000_000_000.01]) {
        expect(fieldsOf(await post(`/cases/${id}/propose-resolution`, { kind: 'PARTIAL_REFUND', amount, currency: 'EUR' }, 'agent').expect(400))).toEqual([
          'amount',
        ]);
      }
      expect(fieldsOf(await post(`/cases/${id}/grant-compensation`, { couponAmount: 1e308, currency: 'EUR' }, 'agent').expect(400))).toEqual(['couponAmount']);
    });

    it('expectedRevision: null is a 400 naming it, not a 409', async () => {
      const res = await post(`/cases/${caseId}/reply`, { message: 'hello', expectedRevision: null }, 'agent').expect(400);
      expect(fieldsOf(res)).toEqual(['expectedRevision']);
    });

    it('a body that is not JSON is a 415: form-encoded, text/plain, multipart', async () => {
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=b']) {
        const res = await request(api.http).post('/cases').set(bearer('service')).set('Content-Type', type).send('orderId=1').expect(415);
        expect(res.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', correlationId: expect.any(String) });
      }
      await request(api.http)
        .post(`/admin/projections/loyalty/rebuild`)
        .set(bearer('admin'))
        .expect((r) => expect(r.status).toBeLessThan(300)); // no body at all: fine
    });

    it('an oversized body is a 413 with the error body', async () => {
      const res = await post('/cases', openCaseBody({ description: 'x'.repeat(150_000) })).expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', correlationId: expect.any(String) });
    });

    it('ids must be NFC-normal without compatibility forms: the NFD or full-width spelling of an id is a 400, the NFC one is taken', async () => {
      const nfc = 'cust-caf\u00e9';
      const nfd = nfc.normalize('NFD');
      expect(fieldsOf(await post('/cases', openCaseBody({ customerId: nfd })).expect(400))).toEqual(['customerId']);
      expect(fieldsOf(await post('/cases', openCaseBody({ orderId: '\uff4f\uff52\uff44-\uff11' })).expect(400))).toEqual(['orderId']);
      await post('/cases', openCaseBody({ customerId: nfc })).expect(201);
      await post('/cases', openCaseBody({ customerId: '客户-42' })).expect(201); // other scripts are fine
      await request(api.http)
        .get(`/views/loyalty/customers/${encodeURIComponent(nfd)}`)
        .set(bearer('analyst'))
        .expect(400);
      await request(api.http)
        .get(`/cases/${encodeURIComponent('\uff43\uff41\uff53\uff45')}`)
        .set(bearer('agent'))
        .expect(400);
    });
  });
});
