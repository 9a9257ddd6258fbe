/**
 * Projection lag through a real Kafka broker: events are appended to the store at a steady rate; the relay
 * publishes them; one consumer group per view applies them. Lag = the view transaction that made an event
 * visible committed − the append that stored it returned. At the end every appended event must have been made
 * visible exactly once in each view.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@aftersales/event-store';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { EventRelay, KafkaDeadLetters, KafkaProjector, ensureTopics, topicsWithSuffix } from '@aftersales/kafka-transport';
import type { BatchOutcome, ProjectedEvent, Projection, SourceItem } from '@aftersales/read-models';
import { ProjectionRunner, createProjections } from '@aftersales/read-models';
import type { SqlClient } from '@aftersales/sql-client';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { PostgresSqlClient } from '@aftersales/sql-client';
import { AppenderThread } from './projection-lag-appender';
import type { AppendSink } from './projection-lag-appender';
import { profiled } from './profiling';
import { BENCH_VIEWS } from './replay';
import { sleep, summarise } from './stats';

export interface LagResult {
  targetRate: number;
  seconds: number;
  appended: number;
  /** Appends the store refused or failed (their events are not expected in any view). */
  failedAppends: number;
  firstFailure?: string;
  achievedRate: number;
  views: Record<string, { latencyMs: Summary; visible: number; unseenAfterDrain: number; unseenAppendedMs: Summary; unseenStreams: number; doubled: number }>;
  /** How long after the last append the scenario waited for every event to show in every view. */
  drainSeconds: number;
  /** Where the time went, per event: append → published (relay), published → handed to the view's runner (Kafka), → visible (its transaction). */
  stages: Record<string, { relayMs: Summary; kafkaMs: Summary; applyMs: Summary; batch: Summary; transactionMs: Summary }>;
  /** Share of the appending phase the main thread's event loop was busy (relay, Kafka clients and runners share it). */
  eventLoopUtilisation: number;
  /** The same for the appender's own thread. */
  appenderUtilisation: number;
  /** CPU time of the process (all its threads) per appended event, from the first append until every view has caught up. */
  cpuMsPerEvent: number;
  /** Crashes (and the restarts that follow) of each view's consumer group, with the first error: a group that crashed shows late events. */
  consumerCrashes: Record<string, { crashes: number; firstError?: string }>;
  /** Events the relay published (broker acknowledged), and its failed passes with the first error: a relay that fails shows late events in every view. */
  relay: { published: number; failedPasses: number; firstError?: string };
}

type Summary = ReturnType<typeof summarise>;

/** What the run observed: when each event's append returned (and its stream), and each view's sightings. */
interface Tally {
  appendedAt: Map<string, number>;
  publishedAt: Map<string, number>;
  /** Per view: when each event was handed to its runner, and each runner call's size and duration. */
  deliveredAt: Record<string, Map<string, number>>;
  visibleAt: Record<string, Map<string, number>>;
  batches: Record<string, { size: number[]; ms: number[] }>;
  streamOf: Map<string, string>;
  seen: Record<string, Map<string, number>>;
  appended: number;
  failedAppends: number;
  firstFailure?: string;
  crashes: Record<string, { crashes: number; firstError?: string }>;
  relayFailures: { failedPasses: number; firstError?: string };
}

/**
 * How long after the last append the scenario waits for every event to show in every view (BENCH_LAG_DRAIN_SECONDS).
 * An event still not shown then is counted as unseen: late beyond the wait, or lost; the wait says which it can be.
 */
const LAG_DRAIN_SECONDS = Number(process.env.BENCH_LAG_DRAIN_SECONDS ?? 180);

/** The CloudEvents content mode the relay writes (BENCH_LAG_CE_MODE=binary|structured; the relay's default when unset), for A/B runs. */
const LAG_CE_MODE = ((mode) => {
  if (mode === undefined || mode === 'binary' || mode === 'structured') return mode;
  throw new Error(`BENCH_LAG_CE_MODE must be binary or structured, got '${mode}'`);
})(process.env.BENCH_LAG_CE_MODE);

export async function projectionLag(store: EventStore, sql: SqlClient, brokers: string[], rate: number, seconds: number): Promise<LagResult> {
  const suffix = `.bench${randomUUID().slice(0, 6)}`;
  const topics: KafkaTopics = topicsWithSuffix(suffix);
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING, retry: { retries: 30 } });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const tally = emptyTally();
  const relay = timedRelay(store, producer, sql, topics, suffix, tally);
  await relay.init();
  // Start from the current end of the feed: only this run's events are relayed.
  const head = await lastPosition(store);
  if (head) await sql.query(`INSERT INTO relay_checkpoints (relay, position) VALUES ($1, $2)`, [relay.name, head]);
  const projections = createProjections(BENCH_VIEWS);
  const projectors = projections.map((projection) => timedProjector(kafka, sql, producer, topics, suffix, projection, tally));
  for (const p of projectors) await p.start();
  // The load comes from a thread of its own (as the API process appends in a deployment); see projection-lag-appender.ts.
  if (!(sql instanceof PostgresSqlClient) || !sql.pool.options.connectionString) throw new Error('the projection lag scenario runs on PostgreSQL');
  const appender = new AppenderThread({ connectionString: sql.pool.options.connectionString, rate, seconds }, appendSink(tally, relay));
  await appender.ready;
  relay.start();
  await sleep(2_000); // group joins settle

  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const elapsed = await profiled('lag', () => appender.run());
  const eventLoopUtilisation = Math.round(performance.eventLoopUtilization(loopBefore).utilization * 1000) / 1000;
  const appenderUtilisation = Math.round(appender.utilisation() * 1000) / 1000;
  await appender.stop();
  const drainDeadline = Date.now() + LAG_DRAIN_SECONDS * 1000;
  const wanted = (name: string) => [...tally.appendedAt.keys()].filter((id) => projections.find((p) => p.name === name)!.wants(tally.streamOf.get(id)!));
  const expectedCount = Object.fromEntries(projections.map((p) => [p.name, wanted(p.name).length]));
  while (Date.now() < drainDeadline && Object.entries(tally.seen).some(([name, m]) => m.size < expectedCount[name])) await sleep(100);
  const cpu = process.cpuUsage(cpuBefore);
  await relay.stop();
  for (const p of projectors) await p.stop();
  await producer.disconnect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();

  const { appended, failedAppends, firstFailure } = tally;
  const cpuMsPerEvent = Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, appended)) * 1000) / 1000;
  const achievedRate = Math.round(appended / elapsed);
  const views = viewResults(tally, wanted);
  return {
    targetRate: rate,
    seconds,
    appended,
    failedAppends,
    firstFailure,
    achievedRate,
    views,
    drainSeconds: LAG_DRAIN_SECONDS,
    stages: stageResults(tally),
    eventLoopUtilisation,
    appenderUtilisation,
    cpuMsPerEvent,
    consumerCrashes: tally.crashes,
    relay: { published: tally.publishedAt.size, ...tally.relayFailures },
  };
}

function emptyTally(): Tally {
  return {
    appendedAt: new Map(),
    publishedAt: new Map(),
    deliveredAt: {},
    visibleAt: {},
    batches: {},
    streamOf: new Map(),
    seen: {},
    appended: 0,
    failedAppends: 0,
    crashes: {},
    relayFailures: { failedPasses: 0 },
  };
}

/** The relay, noting when each event's page was acknowledged by the broker. */
function timedRelay(store: EventStore, producer: Producer, sql: SqlClient, topics: KafkaTopics, suffix: string, tally: Tally): EventRelay {
  return new EventRelay(store, producer, sql, topics, {
    name: `bench${suffix}`,
    idleMs: 5,
    mode: LAG_CE_MODE,
    onError: (error) => {
      tally.relayFailures.failedPasses += 1;
      tally.relayFailures.firstError ??= error.message.slice(0, 300);
    },
    afterPublish: (page) => {
      const now = performance.now();
      for (const e of page) tally.publishedAt.set(e.eventId, now);
      return Promise.resolve();
    },
  });
}

/** A view's consumer group whose runner notes, for each of this run's events it makes visible, when and how often. */
function timedProjector(
  kafka: Kafka,
  sql: SqlClient,
  producer: Producer,
  topics: KafkaTopics,
  suffix: string,
  projection: Projection,
  tally: Tally,
): KafkaProjector {
  const seen = (tally.seen[projection.name] = new Map<string, number>());
  const visible = (tally.visibleAt[projection.name] = new Map<string, number>());
  const delivered = (tally.deliveredAt[projection.name] = new Map<string, number>());
  const batches = (tally.batches[projection.name] = { size: [] as number[], ms: [] as number[] });
  const runner = new TimedRunner(delivered, batches, sql, projection, new KafkaDeadLetters(producer, topics.deadLetter), '', (events: ProjectedEvent[]) => {
    const now = performance.now();
    // Every event on this run's topics is this run's; its append may be reported after a view shows it, so lags are
    // computed once the run is over.
    for (const e of events) {
      seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
      if (!visible.has(e.eventId)) visible.set(e.eventId, now);
    }
  });
  const crashes = (tally.crashes[projection.name] = { crashes: 0 } as Tally['crashes'][string]);
  return new KafkaProjector(kafka, runner, {
    onError: (error) => {
      crashes.crashes += 1;
      crashes.firstError ??= error.message.slice(0, 300);
    },
    groupId: `bench${suffix}-${projection.name}`,
    topics: projection.name === 'loyalty' ? [topics.caseEvents, topics.orderFacts] : [topics.caseEvents],
  });
}

/** Notes each append that returned (on this thread's clock) and has the relay look at once. */
function appendSink(tally: Tally, relay: EventRelay): AppendSink {
  return {
    appended: ({ eventIds, streamId, at }) => {
      const here = at - performance.timeOrigin;
      for (const id of eventIds) {
        tally.appendedAt.set(id, here);
        tally.streamOf.set(id, streamId);
      }
      tally.appended += eventIds.length;
      relay.nudge();
    },
    failed: (error) => {
      tally.failedAppends += 1;
      tally.firstFailure ??= error;
    },
  };
}

/** A runner that notes when each event was handed to it, and how large and long each of its calls was. */
class TimedRunner extends ProjectionRunner {
  constructor(
    private readonly delivered: Map<string, number>,
    private readonly batches: { size: number[]; ms: number[] },
    ...args: ConstructorParameters<typeof ProjectionRunner>
  ) {
    super(...args);
  }

  override async process(source: string, items: SourceItem[]): Promise<BatchOutcome> {
    const started = performance.now();
    for (const item of items) if (item.event && !this.delivered.has(item.event.eventId)) this.delivered.set(item.event.eventId, started);
    const outcome = await super.process(source, items);
    this.batches.size.push(items.length);
    this.batches.ms.push(performance.now() - started);
    return outcome;
  }
}

function viewResults(tally: Tally, wanted: (name: string) => string[]): LagResult['views'] {
  const views: LagResult['views'] = {};
  let first = Infinity;
  for (const at of tally.appendedAt.values()) first = Math.min(first, at);
  for (const name of Object.keys(tally.seen)) {
    const counts = tally.seen[name];
    const unseen = wanted(name).filter((id) => !counts.has(id));
    views[name] = {
      latencyMs: summarise(lagsOf(tally, name)),
      visible: counts.size,
      unseenAfterDrain: unseen.length,
      // When the unseen events were appended (ms after the first append) and in how many streams: the tail of the run, or gaps.
      unseenAppendedMs: summarise(unseen.map((id) => tally.appendedAt.get(id)! - first)),
      unseenStreams: new Set(unseen.map((id) => tally.streamOf.get(id))).size,
      doubled: [...counts.values()].filter((n) => n > 1).length,
    };
  }
  return views;
}

/** Append returned → made visible, for each event of the run the view showed. */
function lagsOf(tally: Tally, name: string): number[] {
  const lags: number[] = [];
  for (const [id, visible] of tally.visibleAt[name]) {
    const appended = tally.appendedAt.get(id);
    if (appended !== undefined) lags.push(visible - appended);
  }
  return lags;
}

function stageResults(tally: Tally): LagResult['stages'] {
  const stages: LagResult['stages'] = {};
  for (const [name, seen] of Object.entries(tally.seen)) {
    const relayMs: number[] = [];
    const kafkaMs: number[] = [];
    const applyMs: number[] = [];
    const delivered = tally.deliveredAt[name];
    for (const id of seen.keys()) {
      const appended = tally.appendedAt.get(id)!;
      const published = tally.publishedAt.get(id);
      const handed = delivered.get(id);
      const visible = tally.visibleAt[name].get(id);
      if (published === undefined || handed === undefined || visible === undefined) continue;
      relayMs.push(published - appended);
      kafkaMs.push(handed - published);
      applyMs.push(visible - handed);
    }
    const batches = tally.batches[name];
    stages[name] = {
      relayMs: summarise(relayMs),
      kafkaMs: summarise(kafkaMs),
      applyMs: summarise(applyMs),
      batch: summarise(batches.size),
      transactionMs: summarise(batches.ms),
    };
  }
  return stages;
}

async function lastPosition(store: EventStore): Promise<string | undefined> {
  let after: string | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 10_000 });
    if (page.length === 0) return after;
    after = page[page.length - 1].position;
  }
}
