/**
 * Faults with a real PostgreSQL: two API instances racing on one case, and the server restarted under load.
 * Afterwards nothing is lost or doubled, and every client was told the truth: success, or a retryable 503.
 */
import request from 'supertest';
import { findPostgresBinaries, haltLocalPostgres, startLocalPostgres, startLocalPostgresAgain, stopLocalPostgres } from '@aftersales/local-servers';
import { caseStreamId } from '@aftersales/case-application';
import { SqlEventStore } from '@aftersales/event-store';
import { PostgresSqlClient } from '@aftersales/sql-client';
import type { Storage } from '@aftersales/storage';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { viewsMatchStore, waitFor } from '../../../test/harness/views-match-store';

/** A client's pause before it retries a 503 (the server's outage is real, so is the client's wait). */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

jest.setTimeout(120_000);

async function storageOn(url: string): Promise<Storage> {
  const sql = await PostgresSqlClient.open(url);
  return { eventStore: await SqlEventStore.open('postgres', sql), readModels: sql, readModelKind: 'postgres', close: () => sql.close() };
}

describeWithServer('a PostgreSQL server', postgresUrl() !== undefined, "Install Debian's postgresql package or set TEST_DATABASE_URL.", 'Faults', () => {
  it('two API instances racing on one case: each command applied once, stale writers refused', async () => {
    const url = await createTestDatabase('race');
    const [a, b] = [await startApi(await storageOn(url)), await startApi(await storageOn(url))];
    try {
      const id = (await request(a.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201)).body.caseId;
      const messages = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          request((i % 2 ? a : b).http)
            .post(`/cases/${id}/customer-message`)
            .set(bearer('service'))
            .send({ message: `message ${i}` }),
        ),
      );
      expect(messages.map((r) => r.status)).toEqual(Array(10).fill(200));
      const history = (await request(b.http).get(`/cases/${id}/events`).set(bearer('auditor')).expect(200)).body as Array<{
        type: string;
        data: { message?: string };
      }>;
      const received = history
        .filter((e) => e.type === 'CustomerMessageReceived')
        .map((e) => e.data.message)
        .sort();
      expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`).sort());
      expect(history.filter((e) => e.type === 'CaseEscalated')).toHaveLength(1); // third unanswered contact → L1, once
      const revision = history.length - 1;
      const acks = await Promise.all(
        [a, b].map((api) => request(api.http).post(`/cases/${id}/acknowledge`).set(bearer('agent')).send({ expectedRevision: revision })),
      );
      expect(acks.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(acks.find((r) => r.status === 409)!.body).toMatchObject({ code: 'STALE_REVISION' });
      await a.background.catchUp();
      expect(await viewsMatchStore(a, [id])).toBe(true); // the view counts each of the racing commands once
      const satisfaction = await a.storage.readModels.query<{ state: { revision: number } }>('SELECT state FROM rm_satisfaction_cases WHERE case_id = $1', [
        id,
      ]);
      expect(satisfaction.rows[0].state.revision).toBe(revision + 1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  const pgBin = findPostgresBinaries();
  (pgBin ? it : it.skip)(
    'PostgreSQL restarted under load: clients get success or a retryable 503, retried commands land once, views match the store',
    async () => {
      const server = await startLocalPostgres(pgBin!); // a server of this test's own, so the restart disturbs no other suite
      const api = await startApi(await storageOn(server.url));
      await api.background.start(); // the projectors follow the feed for real through the outage
      await api.app.listen(0, '127.0.0.1'); // one listening server for the concurrent clients
      const base = await api.app.getUrl();
      const statuses: number[] = [];
      const opened = new Set<string>();
      let outageOver = false;

      /** One logical command: sent again with the same Idempotency-Key for as long as the answer is a 503. */
      async function command(path: string, body: object, role: 'service' | 'agent', key: string) {
        for (let attempt = 0; attempt < 200; attempt++) {
          const res = await request(base).post(path).set(bearer(role)).set('Idempotency-Key', key).send(body);
          statuses.push(res.status);
          if (res.status !== 503) return res;
          expect(res.headers['retry-after']).toBe('1');
          expect(res.body).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
          await sleep(100);
        }
        throw new Error(`${path} never got past 503`);
      }
      async function client(n: number) {
        for (let i = 0; !outageOver || i < 8; i++) {
          const open = await command('/cases', openCaseBody({ customerId: `cust-${n}` }), 'service', `restart-${n}-${i}-open`);
          expect([200, 201]).toContain(open.status);
          opened.add(open.body.caseId);
          const message = await command(`/cases/${open.body.caseId}/customer-message`, { message: `hello ${i}` }, 'service', `restart-${n}-${i}-msg`);
          expect(message.status).toBe(200);
        }
      }

      try {
        const clients = Promise.all([0, 1, 2].map(client));
        // The outage starts once the load is under way and ends once clients have felt it, not after fixed pauses.
        await waitFor(
          'the load to be under way',
          async () => statuses.filter((s) => s === 200 || s === 201).length,
          (n) => n >= 6,
        );
        haltLocalPostgres(server, 'fast'); // ends every session, in-flight transactions included
        await waitFor(
          'clients to be answered 503 during the outage',
          async () => statuses.filter((s) => s === 503).length,
          (n) => n >= 3,
        );
        startLocalPostgresAgain(server);
        outageOver = true;
        await clients;

        expect(statuses.filter((s) => ![200, 201, 503].includes(s))).toEqual([]); // nothing but the truth
        expect(statuses).toContain(503); // the outage was felt
        const ids = [...opened];
        for (const id of ids) {
          const types = (await api.store.readStream(caseStreamId(id))).map((e) => e.type);
          expect(types).toEqual(['CaseOpened', 'CaseTriaged', 'CustomerMessageReceived']); // each command once, none lost
        }
        const total = await api.storage.readModels.query<{ n: string }>("SELECT count(DISTINCT stream_id) AS n FROM events WHERE stream_id LIKE 'case-%'");
        expect(Number(total.rows[0].n)).toBe(ids.length);
        await waitFor('the views to match the store', () => viewsMatchStore(api, ids), Boolean);
      } finally {
        await api.close().catch(() => undefined);
        stopLocalPostgres(server);
      }
    },
  );
});
