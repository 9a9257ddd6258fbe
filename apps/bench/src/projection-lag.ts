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
import type { ProjectedEvent, Projection } from '@aftersales/read-models';
import { ProjectionRunner, createProjections } from '@aftersales/read-models';
import type { SqlClient } from '@aftersales/sql-client';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { CaseGenerator } from './case-generator';
import { BENCH_VIEWS } from './replay';
import type { GeneratedStream } from './case-generator';
import { ProgressBar as Progress } from '@aftersales/observability';
import { sleep, summarise } from './stats';

export interface LagResult {
  targetRate: number;
  seconds: number;
  appended: number;
  /** Appends the store refused or failed (their events are not expected in any view). */
  failedAppends: number;
  firstFailure?: string;
  achievedRate: number;
  views: Record<string, { latencyMs: ReturnType<typeof summarise>; visible: number; lost: number; doubled: number }>;
}

/** What the run observed: when each event's append returned (and its stream), and each view's sightings and lags. */
interface Tally {
  appendedAt: Map<string, number>;
  streamOf: Map<string, string>;
  seen: Record<string, Map<string, number>>;
  lags: Record<string, number[]>;
  appended: number;
  failedAppends: number;
  firstFailure?: string;
}

export async function projectionLag(store: EventStore, sql: SqlClient, brokers: string[], rate: number, seconds: number): Promise<LagResult> {
  const suffix = `.bench${randomUUID().slice(0, 6)}`;
  const topics: KafkaTopics = topicsWithSuffix(suffix);
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING, retry: { retries: 30 } });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const tally: Tally = { appendedAt: new Map(), streamOf: new Map(), seen: {}, lags: {}, appended: 0, failedAppends: 0 };
  const relay = new EventRelay(store, producer, sql, topics, { name: `bench${suffix}`, idleMs: 5 });
  await relay.init();
  // Start from the current end of the feed: only this run's events are relayed.
  const head = await lastPosition(store);
  if (head) await sql.query(`INSERT INTO relay_checkpoints (relay, position) VALUES ($1, $2)`, [relay.name, head]);
  const projections = createProjections(BENCH_VIEWS);
  const projectors = projections.map((projection) => timedProjector(kafka, sql, producer, topics, suffix, projection, tally));
  for (const p of projectors) await p.start();
  relay.start();
  await sleep(2_000); // group joins settle

  const elapsed = await appendAtRate(store, relay, rate, seconds, tally);
  const drainDeadline = Date.now() + 60_000;
  const wanted = (name: string) => [...tally.appendedAt.keys()].filter((id) => projections.find((p) => p.name === name)!.wants(tally.streamOf.get(id)!));
  const expectedCount = Object.fromEntries(projections.map((p) => [p.name, wanted(p.name).length]));
  while (Date.now() < drainDeadline && Object.entries(tally.seen).some(([name, m]) => m.size < expectedCount[name])) await sleep(100);
  await relay.stop();
  for (const p of projectors) await p.stop();
  await producer.disconnect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();

  const { appended, failedAppends, firstFailure } = tally;
  return { targetRate: rate, seconds, appended, failedAppends, firstFailure, achievedRate: Math.round(appended / elapsed), views: viewResults(tally, wanted) };
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
  const lags = (tally.lags[projection.name] = [] as number[]);
  const runner = new ProjectionRunner(sql, projection, new KafkaDeadLetters(producer, topics.deadLetter), '', (events: ProjectedEvent[]) => {
    const now = performance.now();
    for (const e of events) {
      const at = tally.appendedAt.get(e.eventId);
      if (at === undefined) continue;
      seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
      lags.push(now - at);
    }
  });
  return new KafkaProjector(kafka, runner, {
    groupId: `bench${suffix}-${projection.name}`,
    topics: projection.name === 'loyalty' ? [topics.caseEvents, topics.orderFacts] : [topics.caseEvents],
  });
}

/** Appends generated streams at a steady event rate for `seconds`, then waits for the appends in flight; returns the seconds taken. */
async function appendAtRate(store: EventStore, relay: EventRelay, rate: number, seconds: number, tally: Tally): Promise<number> {
  // A queue of appends (one per generated stream chunk) taken at a steady event rate.
  const generator = new CaseGenerator(7);
  const queue: GeneratedStream[] = [];
  const refill = () => {
    while (queue.length < 200) {
      for (const stream of generator.next()) {
        // One append per command-sized chunk: 1-2 events, as the command path writes them.
        for (let i = 0; i < stream.events.length; i += 2) queue.push({ streamId: stream.streamId, events: stream.events.slice(i, i + 2) });
      }
    }
  };
  const appender = new ChainedAppends(store, relay, tally);
  const progress = new Progress('projection lag', rate * seconds);
  const started = performance.now();
  const tickMs = 10;
  let scheduled = 0;
  while (performance.now() - started < seconds * 1000) {
    // Schedule by the clock: by now, rate × elapsed events should have been handed to the store.
    let due = (rate * (performance.now() - started)) / 1000 - scheduled;
    while (due >= 1) {
      refill();
      const chunk = queue.shift()!;
      due -= chunk.events.length;
      scheduled += chunk.events.length;
      appender.append(chunk);
    }
    progress.update(tally.appended);
    const next = started + Math.ceil((performance.now() - started + 0.001) / tickMs) * tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(appender.inFlight);
  return (performance.now() - started) / 1000;
}

/** Appends to one stream go one after the other, with the expected revision; different streams are appended concurrently. */
class ChainedAppends {
  readonly inFlight = new Set<Promise<void>>();
  private readonly revisions = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly relay: EventRelay,
    private readonly tally: Tally,
  ) {}

  append(chunk: GeneratedStream): void {
    const { revisions, chains, inFlight, tally } = this;
    const expected = revisions.get(chunk.streamId) ?? 'no_stream';
    revisions.set(chunk.streamId, (revisions.get(chunk.streamId) ?? -1) + chunk.events.length);
    const appendNow = () =>
      this.store.append(chunk.streamId, chunk.events, expected).then(
        () => {
          const at = performance.now();
          for (const e of chunk.events) {
            tally.appendedAt.set(e.eventId, at);
            tally.streamOf.set(e.eventId, chunk.streamId);
          }
          tally.appended += chunk.events.length;
          this.relay.nudge();
        },
        (error: Error) => {
          tally.failedAppends += 1;
          tally.firstFailure ??= error.message;
        },
      );
    const chained = (chains.get(chunk.streamId) ?? Promise.resolve()).then(appendNow);
    chains.set(chunk.streamId, chained);
    inFlight.add(chained);
    void chained.finally(() => {
      inFlight.delete(chained);
      if (chains.get(chunk.streamId) === chained) chains.delete(chunk.streamId);
    });
  }
}

function viewResults(tally: Tally, wanted: (name: string) => string[]): LagResult['views'] {
  const views: LagResult['views'] = {};
  for (const name of Object.keys(tally.seen)) {
    const counts = tally.seen[name];
    views[name] = {
      latencyMs: summarise(tally.lags[name]),
      visible: counts.size,
      lost: wanted(name).filter((id) => !counts.has(id)).length,
      doubled: [...counts.values()].filter((n) => n > 1).length,
    };
  }
  return views;
}

async function lastPosition(store: EventStore): Promise<string | undefined> {
  let after: string | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 10_000 });
    if (page.length === 0) return after;
    after = page[page.length - 1].position;
  }
}
