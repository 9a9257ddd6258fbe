/**
 * Background work when Kafka is the transport (KAFKA_BROKERS): the relay from the store to Kafka, one consumer
 * group per projector, the order-fact consumer, and the SLA watch. Views are stored in the read-model database.
 * At start-up the topic layout is checked against the cluster (a replication factor above the broker count is a
 * ConfigError), missing topics are created, and the record limits are read so every consumer fetches the largest
 * record the broker accepts. Consumers restart with backoff after a crash; readiness names any that is not
 * running or lags past READY_MAX_LAG; dead letters are counted per topic and reason.
 */
import type { INestApplication } from '@nestjs/common';
import type { ProjectionAdmin } from '../admin/projection-admin';
import { PROJECTION_ADMIN } from './tokens';
import { backOff } from 'exponential-backoff';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import type { CloudEventsMode, KafkaTopics, SupervisionOptions, TopicLayout } from '@aftersales/kafka-transport';
import {
  DEFAULT_TOPICS,
  EventRelay,
  KafkaDeadLetters,
  KafkaHealth,
  KafkaProjector,
  KafkaTopologyError,
  LOCAL_TOPIC_LAYOUT,
  OrderIntakeConsumer,
  consumersReadiness,
  ensureTopics,
  fetchSizing,
  largestRecord,
  readRecordLimits,
} from '@aftersales/kafka-transport';
import { Metrics, Readiness } from '@aftersales/observability';
import type { JsonLogger } from '@aftersales/observability';
import { registerKafkaMetrics } from '../admin/kafka-metrics';
import { OrderFactIntake } from '@aftersales/order-facts';
import { DEAD_LETTER_REASONS, ProjectionRunner, createProjections } from '@aftersales/read-models';
import type { DeadLetterReason } from '@aftersales/read-models';
import type { Background } from './background';
import { earlyWarningWatchFor, slaWatchFor } from './background';
import { FOLLOW_UPS_PROJECTION, followUpReopenerFor } from './follow-ups';
import type { Storage } from '@aftersales/storage';
import { ALL_WORKERS, ConfigError, DEFAULT_EARLY_WARNING_INTERVAL_MS } from '@aftersales/runtime-config';
import type { EarlyWarningConfig, WorkerSelection } from '@aftersales/runtime-config';

export interface KafkaBackgroundOptions {
  brokers: string[];
  topics?: KafkaTopics;
  /** Prefix of the consumer group ids (one group per projector). */
  groupPrefix?: string;
  /** How the relay lays CloudEvents on its records (default structured; consumers read both). */
  cloudEventsMode?: CloudEventsMode;
  slaWatchIntervalMs: number;
  clientId?: string;
  /** Which parts run in this process (WORKERS); all by default. */
  workers?: WorkerSelection;
  /** KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS; one local broker's layout by default. */
  topicLayout?: TopicLayout;
  /** KAFKA_MAX_RECORD_BYTES; the broker's message.max.bytes by default. */
  maxRecordBytes?: number;
  /** READY_MAX_LAG: records a consumer group may lag before the process is not ready. */
  readyMaxLag?: number;
  /** Restart backoff of the consumers (tests shorten it). */
  supervision?: Omit<SupervisionOptions, 'onCrash' | 'onRestart'>;
  /** kafkajs retries of a failing batch before a consumer crashes and is restarted. */
  consumerRetries?: number;
  /** EARLY_WARNING_* thresholds and interval; the defaults when absent. */
  earlyWarning?: EarlyWarningConfig;
}

/** The topics each projector's consumer group reads: case events, plus order facts and early warnings where its view needs them. */
export function projectorTopics(name: string, topics: KafkaTopics): string[] {
  if (name === 'loyalty') return [topics.caseEvents, topics.orderFacts];
  if (name === 'early-warning') return [topics.caseEvents, topics.orderFacts, topics.earlyWarnings];
  return [topics.caseEvents];
}

export interface KafkaBackground extends Background {
  relay: EventRelay;
  projectors: KafkaProjector[];
  intake: OrderIntakeConsumer;
  health: KafkaHealth;
  producer: Producer;
  kafka: Kafka;
}

/** `probe`: short timeouts and one retry, for health checks and metrics that must answer while the broker is down. */
export function kafkaClient(brokers: string[], clientId: string, logger?: JsonLogger, probe = false): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...(probe ? { connectionTimeout: 1_000, requestTimeout: 2_000 } : {}),
    retry: probe ? { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } : { retries: 30, initialRetryTime: 200, maxRetryTime: 5_000 },
    logLevel: logLevel.ERROR,
    logCreator: () => (entry) => logger?.event('warn', `kafka: ${entry.log.message}`, { namespace: entry.namespace }),
  });
}

/**
 * Start-up probe: the brokers answer a cluster description within a few seconds (4 attempts, backing off), or the
 * error is thrown for main to report in one message (instead of the client retrying with warnings for minutes).
 */
export async function probeKafka(brokers: string[]): Promise<void> {
  const admin = kafkaClient(brokers, 'aftersales-startup-probe', undefined, true).admin();
  try {
    await backOff(
      async () => {
        await admin.connect();
        await admin.describeCluster();
      },
      { numOfAttempts: 4, startingDelay: 500 },
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Checks the topic layout against the cluster (creating missing topics) and reads the brokers' record limits. */
async function prepareTopics(
  kafka: Kafka,
  topics: KafkaTopics,
  logger: JsonLogger,
  layout: TopicLayout,
): Promise<Awaited<ReturnType<typeof readRecordLimits>>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const report = await ensureTopics(admin, topics, layout);
    for (const warning of report.warnings) logger.event('warn', 'kafka topic differs from the configuration', { warning });
    if (report.created.length) logger.event('info', 'kafka topics created', { topics: report.created, layout });
    return await readRecordLimits(admin, Object.values(topics));
  } catch (error) {
    if (error instanceof KafkaTopologyError) throw new ConfigError([error.message]);
    throw error;
  } finally {
    await admin.disconnect();
  }
}

/** Fetch sizing, restart supervision (counted and logged) and retries shared by every consumer; dead-letter counters start at zero. */
async function consumerSetup(app: INestApplication, kafka: Kafka, topics: KafkaTopics, logger: JsonLogger, options: KafkaBackgroundOptions) {
  const limits = await prepareTopics(kafka, topics, logger, options.topicLayout ?? LOCAL_TOPIC_LAYOUT);
  const sources = [topics.caseEvents, topics.orderFacts, topics.ordersInbound, topics.earlyWarnings];
  const fetch = fetchSizing(largestRecord(limits, sources));
  const maxRecordBytes = options.maxRecordBytes ?? limits.brokerMaxMessageBytes;
  const metrics = app.get(Metrics);
  for (const topic of sources) for (const reason of DEAD_LETTER_REASONS) metrics.deadLetters.inc({ topic, reason }, 0);
  const countDeadLetter = (topic: string, reason: DeadLetterReason) => metrics.deadLetters.inc({ topic, reason });
  const supervision: SupervisionOptions = {
    ...options.supervision,
    onRestart: (consumer) => {
      metrics.consumerRestarts.inc({ consumer });
      logger.event('info', 'kafka consumer restarted', { consumer });
    },
    onCrash: (consumer, error, restartInMs) =>
      logger.event('error', 'kafka consumer crashed; restarting with backoff', { consumer, error: error.message, restartInMs }),
  };
  const tuning = { maxRecordBytes, fetch, supervision, retries: options.consumerRetries };
  return { metrics, countDeadLetter, tuning };
}

export async function kafkaBackground(
  app: INestApplication,
  storage: Storage,
  clock: Clock,
  policy: SlaPolicy,
  logger: JsonLogger,
  options: KafkaBackgroundOptions,
): Promise<KafkaBackground> {
  const topics = options.topics ?? DEFAULT_TOPICS;
  const groupPrefix = options.groupPrefix ?? 'aftersales';
  const kafka = kafkaClient(options.brokers, options.clientId ?? 'aftersales', logger);
  const { metrics, countDeadLetter, tuning: consumerTuning } = await consumerSetup(app, kafka, topics, logger, options);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const onError = (what: string) => (error: Error) => logger.event('error', `${what} failed`, { error: error.message });

  const relay = new EventRelay(storage.eventStore, producer, storage.readModels, topics, { onError: onError('relay'), mode: options.cloudEventsMode });
  await relay.init();
  const deadLetters = new KafkaDeadLetters(producer, topics.deadLetter, countDeadLetter);
  const workers = options.workers ?? ALL_WORKERS;
  const projectors = createProjections(workers.projections).map(
    (projection) =>
      new KafkaProjector(kafka, new ProjectionRunner(storage.readModels, projection, deadLetters), {
        groupId: `${groupPrefix}-projector-${projection.name}`,
        topics: projectorTopics(projection.name, topics),
        ...consumerTuning,
      }),
  );
  // A view stored with another shape version than its projection declares is rebuilt now (docs/views.md).
  await app.get<symbol, ProjectionAdmin>(PROJECTION_ADMIN).rebuildChangedShapes(logger, workers.projections);
  const intake = new OrderIntakeConsumer(kafka, producer, new OrderFactIntake(storage.eventStore), {
    groupId: `${groupPrefix}-order-intake`,
    topic: topics.ordersInbound,
    deadLetterTopic: topics.deadLetter,
    onDeadLetter: countDeadLetter,
    ...consumerTuning,
  });
  const health = new KafkaHealth(kafkaClient(options.brokers, `${options.clientId ?? 'aftersales'}-health`, undefined, true), [
    ...projectors.map((p) => ({ groupId: p.groupId, topics: p.topics })),
    ...(workers.orderIntake ? [{ groupId: `${groupPrefix}-order-intake`, topics: [topics.ordersInbound] }] : []),
  ]);
  app.get(Readiness).register('kafka', () => health.cluster());
  const consumers = [...projectors, ...(workers.orderIntake ? [intake] : [])];
  registerKafkaMetrics(metrics, health, consumers);
  const parts = { kafka, health, producer, relay, projectors, intake, consumers, workers };
  return withLifecycle(app, parts, watchesFor(app, storage, clock, policy, logger, options), options);
}

type KafkaParts = Pick<KafkaBackground, 'kafka' | 'health' | 'producer' | 'relay' | 'projectors' | 'intake'> & {
  consumers: (KafkaProjector | OrderIntakeConsumer)[];
  workers: WorkerSelection;
};
type Watches = Pick<KafkaBackground, 'slaWatch' | 'earlyWarning' | 'followUps'>;

function watchesFor(app: INestApplication, storage: Storage, clock: Clock, policy: SlaPolicy, logger: JsonLogger, options: KafkaBackgroundOptions): Watches {
  const slaWatch = slaWatchFor(app, storage, clock, policy, logger);
  const earlyWarning = earlyWarningWatchFor(storage, clock, logger, options.earlyWarning);
  const followUps = followUpReopenerFor(app, storage, logger);
  return { slaWatch, earlyWarning, followUps };
}

/** Starts the selected workers (registering consumer readiness) and stops everything in reverse dependency order. */
function withLifecycle(app: INestApplication, parts: KafkaParts, watches: Watches, options: KafkaBackgroundOptions): KafkaBackground {
  const { kafka, health, producer, relay, projectors, intake, consumers, workers } = parts;
  const { slaWatch, earlyWarning, followUps } = watches;
  const runsEarlyWarning = workers.projections.includes('early-warning');
  return {
    kafka,
    health,
    producer,
    relay,
    projectors,
    intake,
    slaWatch,
    earlyWarning,
    followUps,
    catchUp: async () => {
      await relay.pump();
    },
    start: async () => {
      if (workers.relay) relay.start();
      for (const p of projectors) await p.start();
      if (workers.orderIntake) await intake.start();
      if (workers.slaWatch) slaWatch.start(options.slaWatchIntervalMs);
      if (runsEarlyWarning) earlyWarning.start(options.earlyWarning?.intervalMs ?? DEFAULT_EARLY_WARNING_INTERVAL_MS);
      if (workers.projections.includes(FOLLOW_UPS_PROJECTION)) followUps.start();
      if (consumers.length)
        app.get(Readiness).register(
          'consumers',
          consumersReadiness(consumers, () => health.lagByGroup(), options.readyMaxLag ?? 10_000),
        );
    },
    stop: async () => {
      app.get(Readiness).unregister('consumers');
      await slaWatch.stop();
      await earlyWarning.stop();
      await followUps.stop();
      await intake.stop();
      for (const p of projectors) await p.stop();
      await relay.stop();
      await producer.disconnect();
      app.get(Readiness).unregister('kafka');
      await health.close();
    },
  };
}
