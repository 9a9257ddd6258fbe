/**
 * Versioned read-model shapes (docs/views.md): the runner stores each projection's shape version with its
 * checkpoints; at start-up a view stored with another version is rebuilt from the store (logged, and shown with its
 * reason in GET /admin/projections), and a view already at its version is left alone.
 */
import request from 'supertest';
import { DEFAULT_SLA_POLICY } from '@aftersales/case-domain';
import { JsonLogger } from '@aftersales/observability';
import { SatisfactionProjection, shapeVersionOf } from '@aftersales/read-models';
import type { ProjectionAdmin } from '../src/admin/projection-admin';
import { embeddedBackground } from '../src/composition/background';
import { PROJECTION_ADMIN } from '../src/composition/tokens';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

/** The shape version the satisfaction projection of this release declares. */
const CURRENT = shapeVersionOf(new SatisfactionProjection());

forEachStore('Read-model shape versions', (openStorage) => {
  let api: ApiUnderTest;
  beforeEach(async () => {
    api = await startApi(await openStorage());
  });
  afterEach(async () => api.close());

  const admin = () => api.app.get<typeof PROJECTION_ADMIN, ProjectionAdmin>(PROJECTION_ADMIN);
  const status = async (name: string) =>
    (await request(api.http).get('/admin/projections').set(bearer('admin')).expect(200)).body.projections.find((p: { name: string }) => p.name === name);
  /** The background as a (re)started process builds it: the start-up shape check runs. */
  const restartBackground = async () => {
    const background = await embeddedBackground(api.app, api.storage, api.clock, DEFAULT_SLA_POLICY, api.app.get(JsonLogger), {
      slaWatchIntervalMs: 3_600_000,
    });
    await background.stop();
  };
  const satisfactionRows = async (id: string) =>
    (await api.storage.readModels.query('SELECT case_id FROM rm_satisfaction_cases WHERE case_id = $1', [id])).rows.length;

  it('stores the shape version with the checkpoints and shows it', async () => {
    await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201);
    await api.background.catchUp();
    expect(await status('satisfaction')).toMatchObject({ shapeVersion: CURRENT, storedShapeVersions: [CURRENT] });
    const stored = await api.storage.readModels.query<{ shape_version: number }>(
      "SELECT shape_version FROM projection_checkpoints WHERE projection = 'satisfaction'",
    );
    expect(stored.rows.map((r) => Number(r.shape_version))).toEqual([CURRENT]);
  });

  it('given a view stored with another shape version, when the process starts, then that view is rebuilt, logged and reported', async () => {
    const { caseId } = (await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201)).body;
    await api.background.catchUp();
    // The view as an older release left it: another shape, and rows it would not write today (here: one missing).
    await api.storage.readModels.query("UPDATE projection_checkpoints SET shape_version = 0 WHERE projection = 'satisfaction'");
    await api.storage.readModels.query('DELETE FROM rm_satisfaction_cases WHERE case_id = $1', [caseId]);
    expect(await status('satisfaction')).toMatchObject({ shapeVersion: CURRENT, storedShapeVersions: [0] });

    await restartBackground();
    const reason = `shape version 0 → ${CURRENT}`;
    expect(await admin().settled('satisfaction')).toMatchObject({ state: 'done', reason });
    expect(await satisfactionRows(caseId)).toBe(1);
    expect(await status('satisfaction')).toMatchObject({ storedShapeVersions: [CURRENT], rebuild: { state: 'done', reason } });
    expect(await status('escalation')).not.toHaveProperty('rebuild');
    const logged = api.logLines.filter((l) => l.includes('view stored with another shape version: rebuilding it')).map((l) => JSON.parse(l));
    expect(logged).toEqual([expect.objectContaining({ projection: 'satisfaction', stored: [0], current: CURRENT })]);

    // The next start finds every view at its shape: nothing is rebuilt again.
    await restartBackground();
    expect((await status('satisfaction')).rebuild.startedAt).toBe((await admin().settled('satisfaction'))!.startedAt);
    expect(api.logLines.filter((l) => l.includes('another shape version'))).toHaveLength(1);
  });
});
