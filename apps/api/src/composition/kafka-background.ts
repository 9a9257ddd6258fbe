/**
 * Background work when Kafka is the transport (KAFKA_BROKERS): the relay from the store to Kafka, one consumer
 * group per projector, the order-fact consumer, and the SLA watch. Views are stored in the read-model database.
 */
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { DEFAULT_TOPICS, EventRelay, KafkaDeadLetters, KafkaHealth, KafkaProjector, OrderIntakeConsumer, ensureTopics } from '@aftersales/kafka-transport';
import { Metrics, Readiness } from '@aftersales/observability';
import type { JsonLogger } from '@aftersales/observability';
import { registerKafkaMetrics } from '../admin/kafka-metrics';
import { OrderFactIntake } from '@aftersales/order-facts';
import { ProjectionRunner, createProjections } from '@aftersales/read-models';
import type { Background } from './background';
import { slaWatchFor } from './background';
import type { Storage } from '@aftersales/storage';
import { ALL_WORKERS } from '@aftersales/runtime-config';
import type { WorkerSelection } from '@aftersales/runtime-config';

export interface KafkaBackgroundOptions {
  brokers: string[];
  topics?: KafkaTopics;
  /** Prefix of the consumer group ids (one group per projector). */
  groupPrefix?: string;
  slaWatchIntervalMs: number;
  clientId?: string;
  /** Which parts run in this process (WORKERS); all by default. */
  workers?: WorkerSelection;
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
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics);
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const onError = (what: string) => (error: Error) => logger.event('error', `${what} failed`, { error: error.message });

  const relay = new EventRelay(storage.eventStore, producer, storage.readModels, topics, { onError: onError('relay') });
  await relay.init();
  const deadLetters = new KafkaDeadLetters(producer, topics.deadLetter);
  const workers = options.workers ?? ALL_WORKERS;
  const projectors = createProjections(workers.projections).map(
    (projection) =>
      new KafkaProjector(kafka, new ProjectionRunner(storage.readModels, projection, deadLetters), {
        groupId: `${groupPrefix}-projector-${projection.name}`,
        topics: projection.name === 'loyalty' ? [topics.caseEvents, topics.orderFacts] : [topics.caseEvents],
        onError: onError(`projector ${projection.name}`),
      }),
  );
  const intake = new OrderIntakeConsumer(kafka, producer, new OrderFactIntake(storage.eventStore), {
    groupId: `${groupPrefix}-order-intake`,
    topic: topics.ordersInbound,
    deadLetterTopic: topics.deadLetter,
    onError: onError('order intake'),
  });
  const health = new KafkaHealth(kafkaClient(options.brokers, `${options.clientId ?? 'aftersales'}-health`, undefined, true), [
    ...projectors.map((p) => ({ groupId: p.groupId, topics: p.topics })),
    ...(workers.orderIntake ? [{ groupId: `${groupPrefix}-order-intake`, topics: [topics.ordersInbound] }] : []),
  ]);
  app.get(Readiness).register('kafka', () => health.cluster());
  registerKafkaMetrics(app.get(Metrics), health);
  const slaWatch = slaWatchFor(app, storage, clock, policy, logger);
  return {
    kafka,
    health,
    producer,
    relay,
    projectors,
    intake,
    slaWatch,
    catchUp: async () => {
      await relay.pump();
    },
    start: async () => {
      if (workers.relay) relay.start();
      for (const p of projectors) await p.start();
      if (workers.orderIntake) await intake.start();
      if (workers.slaWatch) slaWatch.start(options.slaWatchIntervalMs);
    },
    stop: async () => {
      await slaWatch.stop();
      await intake.stop();
      for (const p of projectors) await p.stop();
      await relay.stop();
      await producer.disconnect();
      app.get(Readiness).unregister('kafka');
      await health.close();
    },
  };
}
