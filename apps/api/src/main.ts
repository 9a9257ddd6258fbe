/**
 * Starts the API. With no DATABASE_URL or EVENTSTORE_CONNECTION_STRING it runs the embedded default: PGlite in
 * DATA_DIR, no servers needed. Configuration is validated before anything starts.
 */
import 'reflect-metadata';
import { TokenRegistry } from '@aftersales/access-control';
import { systemClock } from '@aftersales/case-domain';
import { JsonLogger, Metrics, startTracing } from '@aftersales/observability';
import { ConfigError, loadConfig } from '@aftersales/runtime-config';
import type { AppConfig } from '@aftersales/runtime-config';
import { createApiApp } from './create-api-app';
import { ProcessShutdown } from './composition/process-shutdown';
import { usePrivateUmask } from '@aftersales/storage';
import { advertiseListener, openStorageAsOwner } from './composition/data-dir-owner';
import { STORE_UNAVAILABLE_EXIT_CODE, kafkaUnavailableMessage, storeUnavailableMessage } from './composition/store-unavailable';
import { embeddedBackground } from './composition/background';
import { withAppendMetrics } from './composition/append-metrics';
import { withTracing } from './composition/tracing';
import { kafkaBackground, probeKafka } from './composition/kafka-background';
import { OrderFactIntake } from '@aftersales/order-facts';
import { openPersonalDataVault } from '@aftersales/personal-data';
import { topicsWithSuffix } from '@aftersales/kafka-transport';
import type { ComplianceConfiguration } from './composition/compliance-config';
import { complianceConfigurationFromEnvironment } from './composition/compliance-config';

function tokensFor(config: AppConfig, logger: JsonLogger): TokenRegistry {
  if (config.authTokens) return new TokenRegistry(config.authTokens);
  const { registry, file, created } = TokenRegistry.generatedIn(config.dataDir);
  logger.event('warn', created ? 'generated one bearer token per role' : 'using the generated bearer tokens', { file });
  const lines = registry.entries.map(({ role, token }) => `  ${role.padEnd(8)} ${token}`).join('\n');
  process.stdout.write(`\nBearer tokens (kept in ${file}; set AUTH_TOKENS to use your own):\n${lines}\n\n`);
  return registry;
}

/** The configuration and the compliance files, validated before anything starts; exit code 78 when either is invalid. */
function validatedConfiguration(): { config: AppConfig; compliance: ComplianceConfiguration } {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  // Jurisdiction profiles and regulator terms from their files, validated before anything starts.
  let compliance: ComplianceConfiguration;
  try {
    compliance = complianceConfigurationFromEnvironment();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(78);
  }
  return { config, compliance };
}

/** Kafka (when configured) and the stores must answer at start-up, or the process exits with one message. */
async function openStores(config: AppConfig, logger: JsonLogger, metrics: Metrics) {
  const brokers = config.kafkaBrokers;
  if (brokers) {
    await probeKafka(brokers).catch((error: Error) => {
      logger.event('error', 'kafka did not answer at start-up', { error: error.message });
      process.stderr.write(`${kafkaUnavailableMessage(brokers, error)}\n`);
      process.exit(STORE_UNAVAILABLE_EXIT_CODE);
    });
  }
  const opened = await openStorageAsOwner(config, logger).catch((error: Error) => {
    logger.event('error', 'a store did not answer at start-up', { error: error.message });
    process.stderr.write(`${storeUnavailableMessage(config, error)}\n`);
    process.exit(STORE_UNAVAILABLE_EXIT_CODE);
  });
  const storage = withTracing(withAppendMetrics(opened, metrics));
  const { vault, notes } = await openPersonalDataVault({
    readModelKind: storage.readModelKind,
    sql: storage.readModels,
    dataDir: config.dataDir,
    fingerprintSecret: config.fingerprintSecret,
  });
  for (const note of notes) logger.event('warn', note, { keyStore: vault.keyStoreKind });
  logger.event('info', 'storage opened', { eventStore: storage.eventStore.kind, readModels: storage.readModelKind, dataDir: config.dataDir });
  return { storage, vault };
}

type Stores = Awaited<ReturnType<typeof openStores>>;

function createApp(config: AppConfig, compliance: ComplianceConfiguration, { storage, vault }: Stores, logger: JsonLogger, metrics: Metrics) {
  const eventStore = storage.eventStore;
  return createApiApp({
    eventStore,
    clock: systemClock,
    slaPolicy: config.slaPolicy,
    followUpPolicy: config.followUpPolicy,
    tokens: tokensFor(config, logger),
    logger,
    metrics,
    readModels: storage.readModels,
    orderIntake: new OrderFactIntake(eventStore, { clock: systemClock }),
    vault,
    rateLimit: config.rateLimit,
    metricsPublic: config.metricsPublic,
    maxAmount: config.maxAmount,
    kafkaTopics: topicsWithSuffix(config.kafkaTopicSuffix),
    triage: compliance.triage,
    jurisdictions: compliance.jurisdictions,
  });
}

type ApiApp = Awaited<ReturnType<typeof createApiApp>>;

/** The Kafka transport's background work when KAFKA_BROKERS is set, the store feed's otherwise. */
async function backgroundFor(app: ApiApp, storage: Stores['storage'], config: AppConfig, logger: JsonLogger) {
  const background = config.kafkaBrokers
    ? await kafkaBackground(app, storage, systemClock, config.slaPolicy, logger, {
        brokers: config.kafkaBrokers,
        topics: topicsWithSuffix(config.kafkaTopicSuffix),
        groupPrefix: config.kafkaGroupPrefix,
        cloudEventsMode: config.kafkaCloudEventsMode,
        slaWatchIntervalMs: config.slaWatchIntervalMs,
        workers: config.workers,
        topicLayout: config.kafkaTopicLayout,
        maxRecordBytes: config.kafkaMaxRecordBytes,
        readyMaxLag: config.readyMaxLag,
        earlyWarning: config.earlyWarning,
      })
    : await embeddedBackground(app, storage, systemClock, config.slaPolicy, logger, {
        slaWatchIntervalMs: config.slaWatchIntervalMs,
        workers: config.workers,
        readyMaxLag: config.readyMaxLag,
        earlyWarning: config.earlyWarning,
      });
  logger.event('info', 'background started', {
    transport: config.kafkaBrokers ? 'kafka' : 'store feed',
    workers: config.workers,
    readModels: storage.readModelKind,
  });
  return background;
}

async function main(): Promise<void> {
  usePrivateUmask(); // every file this process creates (PGlite's included) is 0600, every directory 0700
  const { config, compliance } = validatedConfiguration();
  const logger = new JsonLogger(config.logLevel);
  // Spans for trace ids in logs and Kafka headers; exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = startTracing({ serviceName: 'aftersales-api' });
  logger.event('info', 'tracing', { exportsTo: tracing?.exportsTo ?? 'disabled (OTEL_SDK_DISABLED)' });
  const metrics = new Metrics();
  const stores = await openStores(config, logger, metrics);
  const { storage, vault } = stores;
  const eventStore = storage.eventStore;
  const app = await createApp(config, compliance, stores, logger, metrics);
  const background = await backgroundFor(app, storage, config, logger);
  // One shutdown path (composition/process-shutdown.ts): requests in flight are answered, then these close in order.
  const shutdown = app.get(ProcessShutdown);
  shutdown.closeAfterRequests('background', () => background.stop());
  shutdown.closeAfterRequests('personal-data vault', () => vault.close());
  shutdown.closeAfterRequests('tracing', async () => tracing?.shutdown());
  shutdown.closeAfterRequests('storage', () => storage.close()); // PGlite first, then DATA_DIR's ownership lock
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.port, config.host);
  await background.start();
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  advertiseListener(storage, app, url, logger);
  logger.event('info', 'listening', { url, docs: `${url}/docs`, eventStore: eventStore.kind, slaPolicy: config.slaPolicySource });
  process.stdout.write(`After-sales API listening on ${url} (OpenAPI: ${url}/docs, event store: ${eventStore.kind})\n`);
}

main().catch((error: Error) => {
  if (error instanceof ConfigError) {
    // a configuration the cluster cannot hold (e.g. KAFKA_REPLICATION_FACTOR above the broker count)
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
