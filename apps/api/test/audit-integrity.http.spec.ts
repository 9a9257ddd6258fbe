/**
 * The audit endpoints against what goes wrong in a real store: the newest events of a case, or the whole case,
 * deleted behind the service's back (caught by the anchors); recorded_at changed (caught by the hash); a malformed
 * CaseOpened written straight to the store (listed by the compliance report, skipped by the views and a rebuild,
 * never a 500).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ProjectionAdmin } from '../src/admin/projection-admin';
import { PROJECTION_ADMIN } from '../src/composition/tokens';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

forEachStore('Audit integrity', (openStorage) => {
  let api: ApiUnderTest;
  beforeEach(async () => {
    api = await startApi(await openStorage());
  });
  afterEach(async () => api.close());

  const openCase = async () => (await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201)).body.caseId as string;
  const act = (id: string, action: string, body: object = {}) => request(api.http).post(`/cases/${id}/${action}`).set(bearer('agent')).send(body).expect(200);
  const verify = async (id: string) => (await request(api.http).get(`/audit/cases/${id}/verify`).set(bearer('auditor')).expect(200)).body;
  const compliance = async () => (await request(api.http).get('/audit/compliance?profile=EU').set(bearer('auditor')).expect(200)).body;
  const sql = (text: string, params: unknown[]) => api.storage.readModels.query(text, params);

  it('names a case whose newest event, or whole stream, was deleted; the anchor chain and its head are served', async () => {
    if (api.store.kind === 'eventstoredb') return; // events there cannot be deleted one by one behind the adapter
    const cut = await openCase();
    await act(cut, 'acknowledge');
    await act(cut, 'assign', { agentId: 'agent-3' });
    const gone = await openCase();
    const kept = await openCase();
    const before = await verify(cut);
    const last = before.events - 1; // opening may record more than one event
    expect(before).toMatchObject({ valid: true, anchor: { revision: last, headHash: before.headHash }, anchorHead: { sequence: 5 } });

    // Delete the newest event and make the stream's head agree, as someone covering their tracks would.
    await sql('DELETE FROM events WHERE stream_id = $1 AND revision = $2', [`case-${cut}`, last]);
    await sql(`UPDATE streams SET revision = $2, last_hash = (SELECT hash FROM events WHERE stream_id = $1 AND revision = $2) WHERE stream_id = $1`, [
      `case-${cut}`,
      last - 1,
    ]);
    await sql('DELETE FROM events WHERE stream_id = $1', [`case-${gone}`]);
    await sql('DELETE FROM streams WHERE stream_id = $1', [`case-${gone}`]);

    expect(await verify(cut)).toMatchObject({
      valid: false,
      events: last,
      firstBrokenLink: { reason: 'HEAD_DELETED', revision: last, anchor: { revision: last, headHash: before.headHash } },
    });
    expect(await verify(gone)).toMatchObject({ valid: false, events: 0, firstBrokenLink: { reason: 'HEAD_DELETED', revision: 0 } });
    expect(await verify(kept)).toMatchObject({ valid: true });

    const report = await compliance();
    const deleted = report.violations.filter((v: { rule: string }) => v.rule === 'NOTHING_DELETED');
    expect(deleted.map((v: { caseId: string }) => v.caseId).sort()).toEqual([cut, gone].sort());
    expect(deleted.find((v: { caseId: string }) => v.caseId === cut).detail).toBe(
      `HEAD_DELETED: the stream ends at revision ${last - 1} but anchor 3 recorded revision ${last}`,
    );
    expect(deleted.find((v: { caseId: string }) => v.caseId === gone).detail).toMatch(/whole stream case-.* was deleted/);
    expect(report.deletedStreams).toEqual([expect.objectContaining({ streamId: `case-${gone}`, anchoredRevision: expect.any(Number), anchorSequence: 4 })]);

    const anchors = (await request(api.http).get('/audit/anchors').set(bearer('auditor')).expect(200)).body;
    // Five appends, five anchors; the deletions left the anchor chain, and its head, as they were.
    expect(anchors).toMatchObject({ valid: true, anchors: 5, head: { sequence: 5, ...before.anchorHead } });
    expect(report.anchors).toMatchObject({ valid: true, head: anchors.head });
    // An auditor holding an earlier export looks that anchor up again.
    const third = (await request(api.http).get('/audit/anchors?sequence=3').set(bearer('auditor')).expect(200)).body.at;
    expect(third).toMatchObject({ sequence: 3, streamId: `case-${cut}`, revision: last, headHash: before.headHash });
    expect((await request(api.http).get('/audit/anchors?sequence=99').set(bearer('auditor')).expect(200)).body.at).toBeNull();
    for (const bad of ['0', 'abc', '1.5']) await request(api.http).get(`/audit/anchors?sequence=${bad}`).set(bearer('auditor')).expect(400);
    await request(api.http).get('/audit/anchors').set(bearer('analyst')).expect(403);
  });

  it('names an event whose recorded_at was changed', async () => {
    if (api.store.kind === 'eventstoredb') return; // events there cannot be altered in place
    const id = await openCase();
    await act(id, 'acknowledge');
    await sql(`UPDATE events SET recorded_at = recorded_at - interval '1 day' WHERE stream_id = $1 AND revision = 1`, [`case-${id}`]);
    expect(await verify(id)).toMatchObject({ valid: false, firstBrokenLink: { revision: 1, reason: 'HASH_MISMATCH' } });
  });

  it('lists a malformed CaseOpened in the compliance report (200, logged, counted) and the views and a rebuild go on', async () => {
    const good = await openCase();
    const bad = randomUUID();
    await api.store.append(
      `case-${bad}`,
      [
        {
          eventId: randomUUID(),
          type: 'CaseOpened',
          schemaVersion: 1,
          data: { caseId: bad, merchantId: 42, items: 'none' },
          metadata: {
            caseId: bad,
            occurredAt: '2026-03-02T09:00:00.000Z',
            actor: { type: 'service', id: 'importer' },
            correlationId: 'import',
            causationId: 'import',
          },
        },
      ],
      'no_stream',
    );

    const report = await compliance();
    expect(report.malformedEvents).toEqual([
      expect.objectContaining({
        streamId: `case-${bad}`,
        caseId: bad,
        revision: 0,
        type: 'CaseOpened',
        reason: expect.stringContaining('lacks orderId, customerId, merchantId'),
      }),
    ]);
    expect(report.casesChecked).toBe(1);
    expect(report.violations.every((v: { caseId: string }) => v.caseId === good)).toBe(true);
    expect(api.logLines.some((line) => line.includes('malformed event skipped by the compliance report') && line.includes(bad))).toBe(true);
    const metrics = (await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text;
    expect(metrics).toContain('aftersales_compliance_malformed_events{type="CaseOpened"} 1');
    const csv = await request(api.http).get('/audit/compliance?profile=EU&format=csv').set(bearer('auditor')).expect(200);
    expect(csv.text).not.toContain(bad);

    await api.background.catchUp();
    expect((await request(api.http).get('/views/escalation').set(bearer('analyst'))).status).toBe(200);
    await request(api.http).post('/admin/projections/escalation/rebuild').set(bearer('admin')).expect(202);
    expect(await api.app.get<typeof PROJECTION_ADMIN, ProjectionAdmin>(PROJECTION_ADMIN).settled('escalation')).toMatchObject({ state: 'done' });
    const view = await request(api.http).get('/views/escalation').set(bearer('analyst'));
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).toContain(good);
    expect(JSON.stringify(view.body)).not.toContain(bad);
  });
});
