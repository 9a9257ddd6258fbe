/**
 * Replay: fill a store with generated histories, read the whole feed raw (the baseline), then rebuild all three
 * views from it into fresh tables, all three projectors fed by one shared reader (each page read and each case event
 * folded once; one statement per table and page), sampling the process's RSS.
 */
import type { EventStore } from '@aftersales/event-store';
import { ProjectionRunner, catchUpTogether, createProjections, tableOnlyDeadLetters } from '@aftersales/read-models';
import type { SqlClient } from '@aftersales/sql-client';
import { CaseGenerator } from './case-generator';
import { ProgressBar as Progress } from '@aftersales/observability';

export async function fillStore(store: EventStore, generator: CaseGenerator, targetEvents: number, already: number): Promise<number> {
  let total = already;
  const progress = new Progress(`generate to ${targetEvents}`, targetEvents);
  const inFlight = 8;
  while (total < targetEvents) {
    const batch = [];
    for (let i = 0; i < inFlight; i++) batch.push(...generator.next());
    await Promise.all(batch.map((s) => store.append(s.streamId, s.events, 'no_stream')));
    total += batch.reduce((n, s) => n + s.events.length, 0);
    progress.update(Math.min(total, targetEvents));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}

/** The three views the spec's figures are about (BENCH_VIEWS=all: every view this release has). */
export const BENCH_VIEWS = process.env.BENCH_VIEWS === 'all' ? undefined : (process.env.BENCH_VIEWS ?? 'escalation,satisfaction,loyalty').split(',');

/** Page size of the replay and of its raw baseline alike. */
export const REPLAY_PAGE = Number(process.env.BENCH_REPLAY_BATCH ?? 5000);

export async function rawRead(store: EventStore, pageSize = REPLAY_PAGE): Promise<{ events: number; seconds: number; eventsPerSecond: number }> {
  const started = performance.now();
  let after: string | undefined;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    events += page.length;
    after = page[page.length - 1].position;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds: Math.round(seconds * 100) / 100, eventsPerSecond: Math.round(events / seconds) };
}

export interface RebuildResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  peakRssMb: number;
  /** The RSS when the rebuild began: what earlier parts of the run left behind is in the peak too. */
  startRssMb: number;
  pageSize: number;
}

export async function rebuildAll(store: EventStore, sql: SqlClient, events: number, suffix: string): Promise<RebuildResult> {
  const runners: ProjectionRunner[] = [];
  for (const projection of createProjections(BENCH_VIEWS)) {
    for (const table of projection.tables) await sql.query(`DROP TABLE IF EXISTS ${table}${suffix}`);
    await sql.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [`${projection.name}${suffix}`]).catch(() => undefined);
    await sql.query(`DELETE FROM projection_stream_revisions WHERE projection = $1`, [`${projection.name}${suffix}`]).catch(() => undefined);
    const runner = new ProjectionRunner(sql, projection, tableOnlyDeadLetters, suffix);
    await runner.init();
    runners.push(runner);
  }
  const pageSize = REPLAY_PAGE;
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  await catchUpTogether(store, runners, pageSize);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return {
    events,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(events / seconds),
    peakRssMb: Math.round(peak / 1_048_576),
    startRssMb: Math.round(start / 1_048_576),
    pageSize,
  };
}
