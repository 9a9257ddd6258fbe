/**
 * The work that runs beside the HTTP API. Embedded default: three projectors reading the store's feed, and the
 * SLA watch. With KAFKA_BROKERS: the relay, one Kafka consumer group per projector, the order-fact consumer and
 * the SLA watch (see kafka-background.ts). WORKERS picks which of them a process runs, so each can be deployed
 * and scaled on its own.
 */
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ObserveSlaCommand } from '@aftersales/case-application';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import type { JsonLogger } from '@aftersales/observability';
import { ProjectionRunner, StoreFeedProjector, createProjections, tableOnlyDeadLetters } from '@aftersales/read-models';
import { SlaWatch } from '@aftersales/sla-watch';
import type { Storage } from '@aftersales/storage';
import { ALL_WORKERS } from '@aftersales/runtime-config';
import type { WorkerSelection } from '@aftersales/runtime-config';

export interface Background {
  slaWatch: SlaWatch;
  /** Brings every view up to date with the store (embedded) and returns when done. */
  catchUp(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function slaWatchFor(app: INestApplication, storage: Storage, clock: Clock, policy: SlaPolicy, logger: JsonLogger): SlaWatch {
  const commands = app.get(CommandBus);
  return new SlaWatch(
    storage.readModels,
    (caseId, observation, slaClock) => commands.execute<ObserveSlaCommand, string[]>(new ObserveSlaCommand(caseId, observation, slaClock)),
    clock,
    policy.warningRatio,
    (error) => logger.event('error', 'sla watch failed an observation', { error: error.message }),
  );
}

export async function embeddedBackground(
  app: INestApplication,
  storage: Storage,
  clock: Clock,
  policy: SlaPolicy,
  logger: JsonLogger,
  options: { slaWatchIntervalMs: number; workers?: WorkerSelection },
): Promise<Background> {
  const workers = options.workers ?? ALL_WORKERS;
  const projectors: StoreFeedProjector[] = [];
  for (const projection of createProjections(workers.projections)) {
    const runner = new ProjectionRunner(storage.readModels, projection, tableOnlyDeadLetters);
    await runner.init();
    projectors.push(
      new StoreFeedProjector(storage.eventStore, runner, {
        onError: (error) => logger.event('error', 'projector failed a pass', { projection: projection.name, error: error.message }),
      }),
    );
  }
  const slaWatch = slaWatchFor(app, storage, clock, policy, logger);
  return {
    slaWatch,
    catchUp: async () => {
      for (const p of projectors) await p.catchUp();
    },
    start: async () => {
      projectors.forEach((p) => p.start());
      if (workers.slaWatch) slaWatch.start(options.slaWatchIntervalMs);
    },
    stop: async () => {
      await slaWatch.stop();
      await Promise.all(projectors.map((p) => p.stop()));
    },
  };
}
