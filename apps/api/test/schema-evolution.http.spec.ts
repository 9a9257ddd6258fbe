/**
 * Event schema evolution (spec section 8): a stream whose CaseOpened an earlier release wrote at v1 (by hand
 * here, `customerTier` and `tierSource` side by side) loads, answers GET /cases/{id}, takes commands, replays and
 * rebuilds into the views and verifies its hash chain exactly like its twin written at v2 today; the stored v1
 * event is never rewritten. An event from a later release is dead-lettered by the views, not guessed at.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEFAULT_SLA_POLICY, slaTermsAt } from '@aftersales/case-domain';
import type { ProjectionAdmin } from '../src/admin/projection-admin';
import { PROJECTION_ADMIN } from '../src/composition/tokens';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';
import { VIEW_TABLES, viewsMatchStore } from '../../../test/harness/views-match-store';

const T0 = '2026-03-02T09:00:00.000Z';

/** The opening both twins share, in the v2 shape the current release writes. */
const openingData = (caseId: string) => ({
  caseId,
  orderId: `ord-${caseId.slice(0, 8)}`,
  customerId: 'cust-evolution',
  merchantId: 'm-evolution',
  caseType: 'RETURN',
  channel: 'WEB',
  priority: 'HIGH',
  tier: { level: 'GOLD', source: 'given' },
  reason: 'Wrong size',
  description: 'The shoes are one size too small.',
  items: [{ sku: 'SHOE-42', quantity: 1, amount: 59.9 }],
  currency: 'EUR',
  sla: slaTermsAt(DEFAULT_SLA_POLICY, 'HIGH', 'GOLD', T0),
});

/** The same opening as a release before v2 wrote it. */
const v1Of = ({ tier, ...rest }: ReturnType<typeof openingData>) => ({ ...rest, customerTier: tier.level, tierSource: tier.source });

forEachStore('Schema evolution: a CaseOpened stored at v1', (openStorage) => {
  let api: ApiUnderTest;
  beforeEach(async () => {
    api = await startApi(await openStorage());
  });
  afterEach(async () => api.close());

  const admin = () => api.app.get<typeof PROJECTION_ADMIN, ProjectionAdmin>(PROJECTION_ADMIN);
  const append = (caseId: string, schemaVersion: number, data: object) =>
    api.store.append(
      `case-${caseId}`,
      [
        {
          eventId: randomUUID(),
          type: 'CaseOpened',
          schemaVersion,
          data,
          metadata: {
            caseId,
            occurredAt: T0,
            actor: { type: 'service', id: 'web-shop' },
            correlationId: `c-${caseId}`,
            causationId: `c-${caseId}`,
            commandId: `c-${caseId}`,
          },
        },
      ],
      'no_stream',
    );
  const act = (id: string, action: string, body: object = {}) => request(api.http).post(`/cases/${id}/${action}`).set(bearer('agent')).send(body).expect(200);
  const view = async (id: string) => (await request(api.http).get(`/cases/${id}`).set(bearer('agent')).expect(200)).body;
  /** Each view's row for the case, its case id taken out so twins compare. */
  const rows = async (id: string) => {
    const out: Record<string, unknown> = {};
    for (const table of VIEW_TABLES) {
      const res = await api.storage.readModels.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE case_id = $1`, [id]);
      out[table] = JSON.parse(JSON.stringify(res.rows, (k, v) => (['case_id', 'caseId', 'order_id', 'orderId'].includes(k) ? undefined : v)));
    }
    return out;
  };
  const withoutIds = (body: Record<string, unknown>) => JSON.parse(JSON.stringify(body, (k, v) => (k === 'caseId' || k === 'orderId' ? undefined : v)));

  it('loads, answers, takes commands, projects, rebuilds and verifies like its v2 twin', async () => {
    const old = randomUUID();
    const now = randomUUID();
    await append(old, 1, v1Of(openingData(old)));
    await append(now, 2, openingData(now));

    // Load and GET /cases/{id}: the v1 opening reads as the v2 one.
    expect(withoutIds(await view(old))).toEqual(withoutIds(await view(now)));
    expect(await view(old)).toMatchObject({ status: 'OPEN', customerTier: 'GOLD', tierSource: 'given', priority: 'HIGH' });

    // Commands decide on the upcast state; the history keeps the v1 event as stored.
    api.clock.advanceMinutes(30);
    for (const id of [old, now]) {
      await act(id, 'acknowledge');
      await act(id, 'assign', { agentId: 'agent-7', team: 'returns' });
      await act(id, 'propose-resolution', { kind: 'REFUND', currency: 'EUR' });
    }
    expect(withoutIds(await view(old))).toEqual(withoutIds(await view(now)));
    const history = (await request(api.http).get(`/cases/${old}/events`).set(bearer('auditor')).expect(200)).body;
    expect(history[0]).toMatchObject({ type: 'CaseOpened', schemaVersion: 1, data: { customerTier: 'GOLD', tierSource: 'given' } });
    expect(history[0].data.tier).toBeUndefined();
    expect(history.slice(1).map((e: { schemaVersion: number }) => e.schemaVersion)).toEqual([1, 1, 1]);

    // The views fold the v1 stream into the same rows as the v2 one, and a rebuild of each gives them again.
    await api.background.catchUp();
    expect(await viewsMatchStore(api, [old, now])).toBe(true);
    const before = await rows(old);
    expect(before).toEqual(await rows(now));
    for (const name of ['escalation', 'satisfaction', 'loyalty']) {
      await request(api.http).post(`/admin/projections/${name}/rebuild`).set(bearer('admin')).expect(202);
      expect(await admin().settled(name)).toMatchObject({ state: 'done' });
    }
    expect(await rows(old)).toEqual(before);
    expect(await viewsMatchStore(api, [old, now])).toBe(true);

    // The chain covers the event as stored: it verifies, v1 opening included.
    const verified = (await request(api.http).get(`/audit/cases/${old}/verify`).set(bearer('auditor')).expect(200)).body;
    expect(verified).toMatchObject({ valid: true, events: 4 });

    // As of the opening, the past state reads through the same upcaster.
    expect(await (await request(api.http).get(`/cases/${old}?asOf=${T0}`).set(bearer('agent')).expect(200)).body).toMatchObject({
      status: 'OPEN',
      customerTier: 'GOLD',
    });
  });

  it('dead-letters an event of a version this release does not know, and the views go on', async () => {
    const future = randomUUID();
    const fine = randomUUID();
    await append(future, 3, { ...openingData(future), somethingNew: true });
    await append(fine, 2, openingData(fine));
    await api.background.catchUp();
    const letters = await api.storage.readModels.query<{ projection: string; reason: string; error: string }>(
      'SELECT projection, reason, error FROM projection_dead_letters ORDER BY projection',
    );
    // Every view that reads case streams refuses it the same way (more views than these three may exist).
    expect(letters.rows.map((l) => l.projection)).toEqual(expect.arrayContaining(['escalation', 'loyalty', 'satisfaction']));
    for (const letter of letters.rows) {
      expect(letter).toMatchObject({ reason: 'unknown_version', error: 'CaseOpened version 3 is unknown (this release reads 1 to 2)' });
    }
    expect(await viewsMatchStore(api, [fine])).toBe(true);
  });
});
