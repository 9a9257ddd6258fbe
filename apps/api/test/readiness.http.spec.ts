/**
 * Readiness on the embedded default (no Kafka): once the store-feed projectors run, /health/ready answers 503
 * naming a projector whose passes fail, and 200 again once it caught up; /health says the same and /health/live
 * stays 200 throughout. A process whose projectors were never started reports only its store.
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { viewsMatchStore, waitFor } from '../../../test/harness/views-match-store';

jest.setTimeout(60_000);

describe('Readiness of the embedded projectors', () => {
  let api: ApiUnderTest;

  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(async () => {
    await api.close();
  });

  const ready = async () => {
    const answer = await request(api.http).get('/health/ready');
    return { status: answer.status, body: answer.body as Record<string, unknown> & { notReady?: string[] } };
  };

  async function openCase(): Promise<string> {
    return (await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201)).body.caseId;
  }

  it('is ready with the store alone before the projectors start, and names the running projectors once they do', async () => {
    const before = await ready();
    expect(before.status).toBe(200);
    expect(before.body).not.toHaveProperty('projectors');
    await api.background.start();
    const after = await waitFor('ready', ready, (r) => r.status === 200);
    expect(after.body.projectors).toMatchObject({
      status: 'up',
      projectors: { 'projector-escalation': { state: 'running' }, 'projector-loyalty': { state: 'running' } },
    });
  });

  it('a projector whose passes fail makes it not ready, naming it; once it can write again it catches up and is ready', async () => {
    await api.background.start();
    const first = await openCase();
    await waitFor('the views', () => viewsMatchStore(api, [first]), Boolean);
    await waitFor('ready', ready, (r) => r.status === 200);

    await api.storage.readModels.query('ALTER TABLE rm_satisfaction_cases RENAME TO rm_satisfaction_cases_away');
    const second = await openCase();
    const failing = await waitFor('not ready', ready, (r) => r.status === 503);
    expect(failing.body.notReady).toEqual([
      expect.stringMatching(/^projectors: projector-satisfaction failed its last \d+ pass\(es\): .*rm_satisfaction_cases/),
    ]);
    expect((await request(api.http).get('/health')).status).toBe(503);
    await request(api.http).get('/health/live').expect(200);

    await api.storage.readModels.query('ALTER TABLE rm_satisfaction_cases_away RENAME TO rm_satisfaction_cases');
    await waitFor('the views after the repair', () => viewsMatchStore(api, [first, second]), Boolean);
    await waitFor('ready again', ready, (r) => r.status === 200);
  });
});
