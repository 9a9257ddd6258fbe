/**
 * Faults with a real PostgreSQL: two API instances racing on one case. Afterwards nothing is lost or doubled,
 * and every client was told the truth.
 */
import request from 'supertest';
import { SqlEventStore } from '@aftersales/event-store';
import { PostgresSqlClient } from '@aftersales/sql-client';
import type { Storage } from '@aftersales/storage';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';

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
          request((i % 2 ? a : b).http).post(`/cases/${id}/customer-message`).set(bearer('service')).send({ message: `message ${i}` }),
        ),
      );
      expect(messages.map((r) => r.status)).toEqual(Array(10).fill(200));
      const history = (await request(b.http).get(`/cases/${id}/events`).set(bearer('auditor')).expect(200)).body as Array<{ type: string; data: { message?: string } }>;
      const received = history.filter((e) => e.type === 'CustomerMessageReceived').map((e) => e.data.message).sort();
      expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`).sort());
      expect(history.filter((e) => e.type === 'CaseEscalated')).toHaveLength(1); // third unanswered contact → L1, once
      const revision = history.length - 1;
      const acks = await Promise.all([a, b].map((api) => request(api.http).post(`/cases/${id}/acknowledge`).set(bearer('agent')).send({ expectedRevision: revision })));
      expect(acks.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(acks.find((r) => r.status === 409)!.body).toMatchObject({ code: 'STALE_REVISION' });
    } finally {
      await a.close();
      await b.close();
    }
  });

});
