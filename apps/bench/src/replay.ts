/**
 * Replay: fill a store with generated histories, read the whole feed raw (the baseline), then rebuild all three
 * views from it into fresh tables, all three projectors at once, sampling the process's RSS.
 */
import type { EventStore } from '@aftersales/event-store';
import { ProjectionRunner, StoreFeedProjector, createProjections, tableOnlyDeadLetters } from '@aftersales/read-models';
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

export async function rawRead(store: EventStore, pageSize = 1000): Promise<{ events: number; seconds: number; eventsPerSecond: number }> {
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
  perView: Record<string, number>;
}

export async function rebuildAll(store: EventStore, sql: SqlClient, events: number, suffix: string): Promise<RebuildResult> {
  const projectors: StoreFeedProjector[] = [];
  for (const projection of createProjections()) {
    for (const table of projection.tables) await sql.query(`DROP TABLE IF EXISTS ${table}${suffix}`);
    await sql.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [`${projection.name}${suffix}`]).catch(() => undefined);
    await sql.query(`DELETE FROM projection_stream_revisions WHERE projection = $1`, [`${projection.name}${suffix}`]).catch(() => undefined);
    const runner = new ProjectionRunner(sql, projection, tableOnlyDeadLetters, suffix);
    await runner.init();
    projectors.push(new StoreFeedProjector(store, runner, { batchSize: Number(process.env.BENCH_REPLAY_BATCH ?? 2000) }));
  }
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const perView: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    projectors.map(async (p) => {
      const t = performance.now();
      await p.catchUp();
      perView[p.runner.projection.name] = Math.round((performance.now() - t) / 10) / 100;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { events, seconds: Math.round(seconds * 100) / 100, eventsPerSecond: Math.round(events / seconds), peakRssMb: Math.round(peak / 1_048_576), perView };
}
