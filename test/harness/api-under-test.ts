/** The real API on a fresh embedded store (a copy of the PGlite template), a manual clock and known tokens. */
import type { INestApplication } from '@nestjs/common';
import { TokenRegistry } from '@aftersales/access-control';
import { DEFAULT_SLA_POLICY, ManualClock } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import { SqlEventStore } from '@aftersales/event-store';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { JsonLogger, Metrics } from '@aftersales/observability';
import type { Role } from '@aftersales/runtime-config';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { freshPgliteDir } from './pglite-template';

export const TOKENS: Record<Role, string> = {
  service: 'service-token-for-tests-0001',
  agent: 'agent-token-for-tests-00001',
  analyst: 'analyst-token-for-tests-001',
  auditor: 'auditor-token-for-tests-001',
  admin: 'admin-token-for-tests-00001',
};

export const bearer = (role: Role) => ({ Authorization: `Bearer ${TOKENS[role]}` });

export interface ApiUnderTest {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  clock: ManualClock;
  store: EventStore;
  logLines: string[];
  close(): Promise<void>;
}

export async function startApi(store?: EventStore): Promise<ApiUnderTest> {
  const eventStore = store ?? (await SqlEventStore.open('pglite', await PgliteSqlClient.open(freshPgliteDir())));
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const logLines: string[] = [];
  const app = await createApiApp({
    eventStore,
    clock,
    slaPolicy: DEFAULT_SLA_POLICY,
    tokens: new TokenRegistry(Object.entries(TOKENS).map(([role, token]) => ({ role: role as Role, token }))),
    logger: new JsonLogger('info', (line) => logLines.push(line)),
    metrics: new Metrics(),
  });
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    clock,
    store: eventStore,
    logLines,
    close: async () => {
      await app.close();
      await eventStore.close();
    },
  };
}

export const openCaseBody = (over: Record<string, unknown> = {}) => ({
  orderId: 'ord-1001',
  customerId: 'cust-1',
  merchantId: 'merch-9',
  type: 'RETURN',
  channel: 'WEB',
  priority: 'HIGH',
  reason: 'Wrong size',
  description: 'The shoes are one size too small.',
  items: [{ sku: 'SHOE-42', quantity: 2, amount: 50 }],
  currency: 'EUR',
  contact: { name: 'Li Wei', email: 'li.wei@example.com' },
  ...over,
});
