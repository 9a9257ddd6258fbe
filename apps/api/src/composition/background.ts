/**
 * The work that runs beside the HTTP API. Embedded default: three projectors reading the store's feed, and the
 * SLA watch. With KAFKA_BROKERS: the relay, one Kafka consumer group per projector, the order-fact consumer and
 * the SLA watch (see kafka-background.ts). Beside the early-warning projection runs its watch, which raises and
 * clears signals on a tick. WORKERS picks which of them a process runs, so each can be deployed
 * and scaled on its own. Once started, the embedded projectors are part of readiness: down, naming the
 * projector, while its loop is stopped, its last pass failed, or it lags more than READY_MAX_LAG events behind
 * the store; their dead letters are counted per reason (topic `store-feed`).
 */
import type { INestApplication } from '@nestjs/common';
import type { ProjectionAdmin } from '../admin/projection-admin';
import { PROJECTION_ADMIN } from './tokens';
import { CommandBus } from '@nestjs/cqrs';
import { ObserveSlaCommand } from '@aftersales/case-application';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import type { JsonLogger } from '@aftersales/observability';
import { Metrics, Readiness } from '@aftersales/observability';
import { EarlyWarningWatch, ProjectionRunner, SharedFeedProjectors, createProjections } from '@aftersales/read-models';
import { DEFAULT_EARLY_WARNING_THRESHOLDS } from '@aftersales/early-warning';
import type { DeadLetterSink, FollowUpReopener } from '@aftersales/read-models';
import { FOLLOW_UPS_PROJECTION, followUpReopenerFor } from './follow-ups';
import { SlaWatch } from '@aftersales/sla-watch';
import type { Storage } from '@aftersales/storage';
import { ALL_WORKERS, DEFAULT_EARLY_WARNING_INTERVAL_MS } from '@aftersales/runtime-config';
import type { EarlyWarningConfig, WorkerSelection } from '@aftersales/runtime-config';

export interface Background {
  slaWatch: SlaWatch;
  /** Raises and clears early-warning signals on its own tick; runs where the early-warning projection runs. */
  earlyWarning: EarlyWarningWatch;
  /** The follow-up process manager's reopener (pending ISSUE_RECURRED reopenings); runs where the follow-ups projection runs. */
  followUps: FollowUpReopener;
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

export function earlyWarningWatchFor(storage: Storage, clock: Clock, logger: JsonLogger, config?: EarlyWarningConfig): EarlyWarningWatch {
  return new EarlyWarningWatch(storage.readModels, storage.eventStore, clock, config?.thresholds ?? DEFAULT_EARLY_WARNING_THRESHOLDS, (error) =>
    logger.event('error', 'early-warning watch failed', { error: error.message }),
  );
}

export async function embeddedBackground(
  app: INestApplication,
  storage: Storage,
  clock: Clock,
  policy: SlaPolicy,
  logger: JsonLogger,
  options: { slaWatchIntervalMs: number; workers?: WorkerSelection; readyMaxLag?: number; earlyWarning?: EarlyWarningConfig },
): Promise<Background> {
  const workers = options.workers ?? ALL_WORKERS;
  const metrics = app.get(Metrics);
  // Dead letters stay in the projection_dead_letters table (no Kafka here); the sink only counts them.
  const counted: DeadLetterSink = { send: async (letter) => void metrics.deadLetters.inc({ topic: STORE_FEED_TOPIC, reason: letter.reason }) };
  const runners: ProjectionRunner[] = [];
  for (const projection of createProjections(workers.projections)) {
    const runner = new ProjectionRunner(storage.readModels, projection, counted);
    await runner.init();
    runners.push(runner);
  }
  const projectors = new SharedFeedProjectors(storage.eventStore, storage.readModels, runners, {
    // Under steady load a pass waits a moment after finding work, so each takes a batch rather than one event
    // (fewer transactions beside the commands on the same store: docs/performance.md).
    busyMs: EMBEDDED_PROJECTOR_BUSY_MS,
    onError: (error, projection) => logger.event('error', 'projector failed a pass', { ...(projection ? { projection } : {}), error: error.message }),
  });
  // A view stored with another shape version than its projection declares is rebuilt now (docs/views.md).
  await app.get<symbol, ProjectionAdmin>(PROJECTION_ADMIN).rebuildChangedShapes(logger, workers.projections);
  const slaWatch = slaWatchFor(app, storage, clock, policy, logger);
  const earlyWarning = earlyWarningWatchFor(storage, clock, logger, options.earlyWarning);
  const followUps = followUpReopenerFor(app, storage, logger);
  return {
    slaWatch,
    earlyWarning,
    followUps,
    catchUp: async () => {
      if (runners.length) await projectors.catchUp();
    },
    start: async () => {
      if (runners.length) projectors.start();
      if (workers.slaWatch) slaWatch.start(options.slaWatchIntervalMs);
      if (workers.projections.includes('early-warning')) earlyWarning.start(options.earlyWarning?.intervalMs ?? DEFAULT_EARLY_WARNING_INTERVAL_MS);
      if (workers.projections.includes(FOLLOW_UPS_PROJECTION)) followUps.start();
      if (runners.length) app.get(Readiness).register('projectors', storeFeedReadiness(projectors, options.readyMaxLag ?? 10_000));
    },
    stop: async () => {
      app.get(Readiness).unregister('projectors');
      await slaWatch.stop();
      await earlyWarning.stop();
      await followUps.stop();
      await projectors.stop();
    },
  };
}

/**
 * Pause of the embedded projectors after a pass that found work (PollingLoop's busyMs): under load a pass takes
 * what arrived meanwhile as one batch, and a pass costs about the same whether it applies one event or thirty
 * (docs/performance.md), so the views follow within about this long while the commands keep the store.
 */
export const EMBEDDED_PROJECTOR_BUSY_MS = 100;

/** The `topic` label of dead letters from the embedded transport (the store's own feed). */
export const STORE_FEED_TOPIC = 'store-feed';

/** Readiness of the embedded projectors: their loop must be running, each one's last pass must have succeeded, its lag bounded. */
export function storeFeedReadiness(projectors: SharedFeedProjectors, maxLag: number): () => Promise<Record<string, unknown>> {
  return async () => {
    const notReady: string[] = [];
    const details: Record<string, unknown> = {};
    const lags = await projectors.lags().catch(() => new Map<ProjectionRunner, number | undefined>());
    for (const runner of projectors.runners) {
      const name = `projector-${runner.projection.name}`;
      const loop = projectors.statusOf(runner);
      const lag = lags.get(runner);
      if (!loop.running) notReady.push(`${name} is stopped`);
      else if (loop.failures > 0) notReady.push(`${name} failed its last ${loop.failures} pass(es): ${loop.lastError}`);
      else if (lag !== undefined && lag > maxLag) notReady.push(`${name} lags ${lag} events (READY_MAX_LAG ${maxLag})`);
      details[name] = { state: !loop.running ? 'stopped' : loop.failures > 0 ? 'failing' : 'running', ...(lag !== undefined ? { lag } : {}), ...loop };
    }
    return { status: notReady.length ? 'down' : 'up', ...(notReady.length ? { error: notReady.join('; ') } : {}), maxLag, projectors: details };
  };
}
