/** The real API on a fresh embedded store (a copy of the PGlite template), a manual clock and known tokens. */
import type { INestApplication } from '@nestjs/common';
import { TokenRegistry } from '@aftersales/access-control';
import { DEFAULT_SLA_POLICY, ManualClock } from '@aftersales/case-domain';
import { DEFAULT_EARLY_WARNING_THRESHOLDS } from '@aftersales/early-warning';
import type { EventStore } from '@aftersales/event-store';
import { JsonLogger, Metrics } from '@aftersales/observability';
import { OrderFactIntake } from '@aftersales/order-facts';
import { PersonalDataVault, SqlCustomerKeyStore } from '@aftersales/personal-data';
import type { Role, TokenRole, WorkerSelection } from '@aftersales/runtime-config';
import { createApiApp } from '../../apps/api/src/create-api-app';
import type { Background } from '../../apps/api/src/composition/background';
import { embeddedBackground } from '../../apps/api/src/composition/background';
import { withAppendMetrics } from '../../apps/api/src/composition/append-metrics';
import type { KafkaBackgroundOptions } from '../../apps/api/src/composition/kafka-background';
import { kafkaBackground } from '../../apps/api/src/composition/kafka-background';
import type { Storage } from '@aftersales/storage';
import { pgliteStorage } from './store-matrix';

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
  storage: Storage;
  /** Embedded: projectors and SLA watch not started (tests call catchUp() and slaWatch.tick()); Kafka: running. */
  background: Background;
  logLines: string[];
  close(): Promise<void>;
}

/** With `kafka`, the background is the Kafka one (relay, consumer groups, intake), started; otherwise the embedded one, not started. */
export async function startApi(
  given?: Storage,
  options: {
    kafka?: Omit<KafkaBackgroundOptions, 'slaWatchIntervalMs'>;
    rateLimit?: { perSecond: number; burst: number; maxBuckets?: number };
    workers?: WorkerSelection;
    metricsPublic?: boolean;
    maxAmount?: number;
    /** More tokens beside TOKENS (e.g. a second agent token, a metrics token). */
    extraTokens?: Array<{ role: TokenRole; token: string }>;
  } = {},
): Promise<ApiUnderTest> {
  const metrics = new Metrics();
  const storage = withAppendMetrics(given ?? (await pgliteStorage()), metrics);
  const eventStore = storage.eventStore;
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const logLines: string[] = [];
  const logger = new JsonLogger('info', (line) => logLines.push(line));
  const vault = new PersonalDataVault(new SqlCustomerKeyStore(storage.readModels), Buffer.from('fingerprint-secret-of-the-api-under-test'));
  await vault.init();
  const app = await createApiApp({
    eventStore,
    clock,
    slaPolicy: DEFAULT_SLA_POLICY,
    tokens: new TokenRegistry([...Object.entries(TOKENS).map(([role, token]) => ({ role: role as Role, token })), ...(options.extraTokens ?? [])]),
    logger,
    metrics,
    readModels: storage.readModels,
    orderIntake: new OrderFactIntake(eventStore, { clock }),
    vault,
    rateLimit: options.rateLimit,
    metricsPublic: options.metricsPublic,
    maxAmount: options.maxAmount,
    kafkaTopics: options.kafka?.topics,
  });
  await app.init();
  const background = options.kafka
    ? await kafkaBackground(app, storage, clock, DEFAULT_SLA_POLICY, logger, {
        workers: options.workers,
        earlyWarning: { thresholds: DEFAULT_EARLY_WARNING_THRESHOLDS, intervalMs: 3_600_000 },
        ...options.kafka,
        slaWatchIntervalMs: 3_600_000,
      })
    : await embeddedBackground(app, storage, clock, DEFAULT_SLA_POLICY, logger, { slaWatchIntervalMs: 3_600_000, workers: options.workers });
  if (options.kafka) await background.start();
  return {
    app,
    http: app.getHttpServer(),
    clock,
    store: eventStore,
    storage,
    background,
    logLines,
    close: async () => {
      await background.stop();
      await app.close();
      await storage.close();
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
