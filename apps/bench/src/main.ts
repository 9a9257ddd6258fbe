/**
 * `npm run bench`: measures spec section 10's figures on this machine, each next to its raw baseline taken in the
 * same run and its goal, marked met or missed; prints the table and writes it (and the raw measurements) to
 * docs/performance/<time>-<full|short>.{json,md}.
 *
 * --short                                          the CI mode: a few seconds per figure, small stores (< 3 min)
 * BENCH_ONLY=command,lag,replay,triage             which parts (default all)
 * BENCH_SECONDS=20 BENCH_CONCURRENCY=32            command path
 * BENCH_CUSTOMERS=200                              customers the command path's cases are spread over
 * BENCH_LAG_RATE=5000 BENCH_LAG_SECONDS=60         projection lag
 * BENCH_LAG_DRAIN_SECONDS=180                      how long the lag scenario waits for the views after the last append
 * BENCH_LAG_CE_MODE=binary|structured              CloudEvents content mode the lag scenario's relay writes (default: the relay's)
 * BENCH_EVENTS=1000000 BENCH_EVENTS_SMALL=100000   replay and growth
 * BENCH_DATABASE_URL, KAFKA_BROKERS                use these servers instead of starting local ones
 * BENCH_CPU_PROF=<dir>                             write CPU profiles of the API processes, the replay and the lag phase there
 * BENCH_OUT=<dir>                                  where the report goes (default docs/performance)
 */
import 'reflect-metadata';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SqlEventStore } from '@aftersales/event-store';
import { canRunKafka, findPostgresBinaries, startKafka, startLocalPostgres, stopKafka, stopLocalPostgres } from '@aftersales/local-servers';
import type { LocalPostgres } from '@aftersales/local-servers';
import { PgliteSqlClient, PostgresSqlClient } from '@aftersales/sql-client';
import { CaseGenerator } from './case-generator';
import { httpLoad, rawAppendLoad, startApiProcess } from './command-path';
import type { LoadResult } from './command-path';
import { PROFILE_DIR, profiled } from './profiling';
import { projectionLag } from './projection-lag';
import { BENCH_VIEWS, fillStore, rawRead, rebuildAll } from './replay';
import { triageCost } from './triage-cost';
import type { Figure } from './report';
import { n, pct, table, writeReport } from './report';

const SHORT = process.argv.includes('--short');
const env = (name: string, full: number, short: number) => (process.env[name] ? Number(process.env[name]) : SHORT ? short : full);
const only = (process.env.BENCH_ONLY ?? 'command,lag,replay,triage').split(',');
const SECONDS = env('BENCH_SECONDS', 20, 3);
const WARMUP = env('BENCH_WARMUP_SECONDS', 3, 1);
const CONCURRENCY = env('BENCH_CONCURRENCY', 32, 32);
const LAG_RATE = env('BENCH_LAG_RATE', 5000, 5000);
const LAG_SECONDS = env('BENCH_LAG_SECONDS', 60, 8);
const EVENTS = env('BENCH_EVENTS', 1_000_000, 30_000);
const EVENTS_SMALL = env('BENCH_EVENTS_SMALL', 100_000, 10_000);
const OUT = process.env.BENCH_OUT ?? join(__dirname, '..', '..', '..', '..', 'docs', 'performance');

/** Spec section 10's goals, written once. */
export const GOALS = {
  commandRatioPercent: 50,
  commandsPerSecond: { pglite: 1_500, postgres: 2_500 },
  projectorCostPercent: 15,
  lagP99Ms: 250,
  replayRatioPercent: 30,
  replayRssMb: 512,
  growthP50Ratio: 1.5,
  replayLinearity: 1.25,
  triageP99Ms: 1,
};

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const latency = (r: LoadResult) => `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms`;

async function newDatabase(base: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

type Results = Record<string, unknown>;
/** Servers this run started, stopped at the end whatever happens. */
interface LocalServers {
  pg?: LocalPostgres;
  kafkaDir?: string;
}

/** The PostgreSQL server's URL: BENCH_DATABASE_URL, or a local server started now. */
async function postgresBase(local: LocalServers): Promise<string> {
  const pgBase = process.env.BENCH_DATABASE_URL;
  if (pgBase) return pgBase;
  const bin = findPostgresBinaries();
  if (!bin) throw new Error("PostgreSQL binaries not found (Debian's postgresql package) and BENCH_DATABASE_URL not set");
  local.pg = await startLocalPostgres(bin);
  return local.pg.url;
}

/** Commands through the HTTP API of a fresh API process on `kind`, with the given WORKERS. */
async function apiRun(kind: 'pglite' | 'postgres', pgBase: string, port: number, workers: string, label: string): Promise<LoadResult> {
  log(`command path on ${kind} (${label}): ${CONCURRENCY} clients, ${SECONDS} s`);
  const url = kind === 'postgres' ? await newDatabase(pgBase, 'bench_http') : '';
  const api = await startApiProcess({ DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-api-')), DATABASE_URL: url, WORKERS: workers }, port, `api-${kind}-${label}`);
  try {
    return await httpLoad(api.port, CONCURRENCY, SECONDS, WARMUP);
  } finally {
    await api.stop();
  }
}

/** Appends straight to a fresh event store on `kind` (the baseline of the command path). */
async function rawAppends(kind: 'pglite' | 'postgres', pgBase: string, database: string, options?: { maxGroup: number }): Promise<LoadResult> {
  const sql =
    kind === 'postgres'
      ? await PostgresSqlClient.open(await newDatabase(pgBase, database), CONCURRENCY)
      : await PgliteSqlClient.open(mkdtempSync(join(tmpdir(), 'bench-raw-')));
  const store = await SqlEventStore.open(kind, sql, options);
  const raw = await rawAppendLoad(store, CONCURRENCY, SECONDS, WARMUP);
  await store.close();
  return raw;
}

async function benchCommandPath(pgBase: string, results: Results, figures: Figure[]): Promise<void> {
  let port = 39_000 + Math.floor(Math.random() * 500) * 2;
  for (const kind of ['pglite', 'postgres'] as const) {
    const http = await apiRun(kind, pgBase, ++port, BENCH_VIEWS ? [...BENCH_VIEWS, 'sla-watch'].join(',') : 'all', 'with-projectors');
    const alone = await apiRun(kind, pgBase, ++port, 'sla-watch', 'without-projectors');
    log(`raw appends on ${kind}`);
    const raw = await rawAppends(kind, pgBase, 'bench_raw');
    log(`raw appends on ${kind}, one append per write (no group commit)`);
    const rawSingle = await rawAppends(kind, pgBase, 'bench_raw_single', { maxGroup: 1 });
    const ratio = pct(http.commandsPerSecond, raw.commandsPerSecond);
    const cost = Math.round((1 - http.commandsPerSecond / alone.commandsPerSecond) * 1000) / 10;
    results[`commandPath_${kind}`] = {
      http,
      withoutProjectors: alone,
      raw,
      rawWithoutGroupCommit: rawSingle,
      ratioPercent: ratio,
      projectorCostPercent: cost,
    };
    figures.push(...commandPathFigures(kind, { http, alone, raw, rawSingle }, ratio, cost));
  }
}

function commandPathFigures(
  kind: 'pglite' | 'postgres',
  { http, alone, raw, rawSingle }: Record<'http' | 'alone' | 'raw' | 'rawSingle', LoadResult>,
  ratio: number,
  cost: number,
): Figure[] {
  const wanted = GOALS.commandsPerSecond[kind];
  return [
    {
      figure: `command path (${kind}), ${CONCURRENCY} clients, projectors in process`,
      measured: `${n(http.commandsPerSecond)} cmd/s, ${latency(http)}, errors ${http.errors}`,
      baseline: `${n(raw.commandsPerSecond)} appends/s (${latency(raw)})`,
      ratio: `${ratio} %`,
      goal: `≥ ${GOALS.commandRatioPercent} % and ≥ ${n(wanted)} cmd/s`,
      met: ratio >= GOALS.commandRatioPercent && http.commandsPerSecond >= wanted && http.errors === 0,
    },
    {
      figure: `raw appends (${kind}), one append per write`,
      measured: `${n(rawSingle.commandsPerSecond)} appends/s (${latency(rawSingle)})`,
      baseline: `${n(raw.commandsPerSecond)} appends/s with group commit`,
      ratio: `group commit ×${Math.round((raw.commandsPerSecond / rawSingle.commandsPerSecond) * 100) / 100}`,
      goal: '(informative)',
    },
    {
      figure: `command path (${kind}), projectors elsewhere`,
      measured: `${n(alone.commandsPerSecond)} cmd/s, ${latency(alone)}`,
      baseline: `${n(raw.commandsPerSecond)} appends/s`,
      ratio: `${pct(alone.commandsPerSecond, raw.commandsPerSecond)} %; in-process projectors cost ${cost} %`,
      goal: `projectors cost ≤ ${GOALS.projectorCostPercent} %`,
      met: cost <= GOALS.projectorCostPercent,
    },
  ];
}

async function benchLag(pgBase: string, local: LocalServers, results: Results, figures: Figure[]): Promise<void> {
  let brokers = process.env.KAFKA_BROKERS?.split(',').filter(Boolean);
  if (!brokers?.length) {
    if (!canRunKafka().ok) throw new Error('Kafka needs Java and Maven, or set KAFKA_BROKERS');
    local.kafkaDir = mkdtempSync(join(tmpdir(), 'bench-kafka-'));
    brokers = [startKafka(local.kafkaDir)];
  }
  log(`projection lag: ${LAG_RATE} events/s for ${LAG_SECONDS} s through Kafka at ${brokers.join(',')}`);
  const sql = await PostgresSqlClient.open(await newDatabase(pgBase, 'bench_lag'), 10);
  const store = await SqlEventStore.open('postgres', sql);
  const lag = await projectionLag(store, sql, brokers, LAG_RATE, LAG_SECONDS);
  await sql.close();
  results.projectionLag = lag;
  for (const [view, v] of Object.entries(lag.views)) {
    figures.push({
      figure: `projection lag → ${view} (Kafka, ${LAG_SECONDS} s)`,
      measured: `p50 ${v.latencyMs.p50} ms, p99 ${v.latencyMs.p99} ms, max ${v.latencyMs.max} ms`,
      baseline: `${n(lag.achievedRate)} ev/s appended (target ${n(LAG_RATE)})`,
      ratio: `unseen ${lag.drainSeconds} s after the last append ${v.unseenAfterDrain}, doubled ${v.doubled}, failed appends ${lag.failedAppends}`,
      goal: `p99 < ${GOALS.lagP99Ms} ms, none lost or doubled`,
      met: v.latencyMs.p99 < GOALS.lagP99Ms && v.unseenAfterDrain === 0 && v.doubled === 0 && lag.failedAppends === 0 && lag.achievedRate >= LAG_RATE * 0.95,
    });
  }
}

type ReplayRun = { raw: Awaited<ReturnType<typeof rawRead>>; rebuild: Awaited<ReturnType<typeof rebuildAll>>; ratioPercent: number };

/** Replays all views from a small then a large store (filled in place) and the time per event of each; returns the events stored. */
async function benchReplay(url: string, results: Results, figures: Figure[]): Promise<{ stored: number; linearity: number }> {
  const sql = await PostgresSqlClient.open(url, 10);
  const store = await SqlEventStore.open('postgres', sql);
  const generator = new CaseGenerator(42);
  const replay: Record<string, ReplayRun> = {};
  let stored = 0;
  for (const [label, target] of [
    ['small', EVENTS_SMALL],
    ['large', EVENTS],
  ] as const) {
    stored = await fillStore(store, generator, target, stored);
    log(`raw read of ${stored} events`);
    const raw = await rawRead(store);
    log(`rebuilding all three views from ${raw.events} events`);
    const rebuild = await profiled(`replay-${label}`, () => rebuildAll(store, sql, raw.events, `_bench_${label}`));
    const ratio = pct(rebuild.eventsPerSecond, raw.eventsPerSecond);
    replay[label] = { raw, rebuild, ratioPercent: ratio };
    figures.push({
      figure: `replay: three views from ${n(raw.events)} events (PostgreSQL)`,
      measured: `${n(rebuild.eventsPerSecond)} ev/s (${rebuild.seconds} s), peak RSS ${rebuild.peakRssMb} MB`,
      baseline: `${n(raw.eventsPerSecond)} ev/s raw read`,
      ratio: `${ratio} %`,
      goal: `≥ ${GOALS.replayRatioPercent} %, RSS < ${GOALS.replayRssMb} MB`,
      met: ratio >= GOALS.replayRatioPercent && rebuild.peakRssMb < GOALS.replayRssMb,
    });
  }
  results.replay = replay;
  const { small, large } = replay;
  const linearity = Math.round((large.rebuild.seconds / large.rebuild.events / (small.rebuild.seconds / small.rebuild.events)) * 100) / 100;
  figures.push({
    figure: `growth: replay time per event, ${n(large.rebuild.events)} ÷ ${n(small.rebuild.events)}`,
    measured: `${linearity}×`,
    baseline: '',
    ratio: '',
    goal: `linear (≤ ${GOALS.replayLinearity}×)`,
    met: linearity <= GOALS.replayLinearity,
  });
  log(`command latency with ${stored} events stored (PostgreSQL)`);
  await sql.close();
  return { stored, linearity };
}

/** Command latency against the filled store next to an empty one. */
async function benchGrowth(url: string, pgBase: string, replayed: { stored: number; linearity: number }, results: Results, figures: Figure[]): Promise<void> {
  const { stored, linearity } = replayed;
  const growthSeconds = Math.min(SECONDS, 15);
  const api = await startApiProcess({ DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-api-')), DATABASE_URL: url, WORKERS: 'none' }, 39_998);
  const loaded = await httpLoad(api.port, CONCURRENCY, growthSeconds, WARMUP).finally(() => api.stop());
  const emptyApi = await startApiProcess(
    { DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-api-')), DATABASE_URL: await newDatabase(pgBase, 'bench_empty'), WORKERS: 'none' },
    39_999,
  );
  const empty = await httpLoad(emptyApi.port, CONCURRENCY, growthSeconds, WARMUP).finally(() => emptyApi.stop());
  const p50Ratio = Math.round((loaded.latencyMs.p50 / empty.latencyMs.p50) * 100) / 100;
  results.growth = { storedEvents: stored, empty: empty.latencyMs, loaded: loaded.latencyMs, p50Ratio, replayLinearity: linearity };
  figures.push({
    figure: `growth: command p50 at ${n(stored)} stored events (PostgreSQL)`,
    measured: `${loaded.latencyMs.p50} ms (${n(loaded.commandsPerSecond)} cmd/s)`,
    baseline: `${empty.latencyMs.p50} ms on an empty store`,
    ratio: `${p50Ratio}×`,
    goal: `≤ ${GOALS.growthP50Ratio}×`,
    met: p50Ratio <= GOALS.growthP50Ratio,
  });
}

/** Triage at opening: p99 per case text against the raw cost of normalising the same text (spec section 4). */
function benchTriage(results: Results, figures: Figure[]): void {
  log('triage: every labelled text of libs/triage/eval/data, timed per analysis');
  const cost = triageCost(join(__dirname, '..', '..', '..', '..', 'libs', 'triage', 'eval', 'data'), SHORT ? 1 : 5);
  results.triage = cost;
  figures.push({
    figure: `triage per case (${n(cost.texts)} texts × ${cost.runs})`,
    measured: `p50 ${cost.analysisMs.p50} ms, p99 ${cost.analysisMs.p99} ms`,
    baseline: `normalising the text: p99 ${cost.normaliseMs.p99} ms`,
    ratio: `${Math.round((cost.analysisMs.p99 / Math.max(cost.normaliseMs.p99, 0.001)) * 10) / 10}×`,
    goal: `p99 < ${GOALS.triageP99Ms} ms`,
    met: cost.analysisMs.p99 < GOALS.triageP99Ms,
  });
}

async function main(): Promise<void> {
  const results: Results = {
    mode: SHORT ? 'short' : 'full',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1e9), node: process.version },
    startedAt: new Date().toISOString(),
    settings: { SECONDS, WARMUP, CONCURRENCY, LAG_RATE, LAG_SECONDS, EVENTS, EVENTS_SMALL },
  };
  const figures: Figure[] = [];
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  // Every folder of the run (its servers', the API processes' data) lives under one, removed at the end.
  const scratch = mkdtempSync(join(tmpdir(), 'aftersales-bench-'));
  chmodSync(scratch, 0o711); // PostgreSQL runs as `postgres` when the bench runs as root
  process.env.TMPDIR = scratch;
  const local: LocalServers = {};
  try {
    const pgBase = await postgresBase(local);
    if (only.includes('triage')) benchTriage(results, figures);
    if (only.includes('command')) await benchCommandPath(pgBase, results, figures);
    if (only.includes('lag')) await benchLag(pgBase, local, results, figures);
    if (only.includes('replay')) {
      const url = await newDatabase(pgBase, 'bench_replay');
      const replayed = await benchReplay(url, results, figures);
      await benchGrowth(url, pgBase, replayed, results, figures);
    }
  } finally {
    if (local.kafkaDir) stopKafka(local.kafkaDir);
    if (local.pg) stopLocalPostgres(local.pg);
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }

  results.finishedAt = new Date().toISOString();
  const file = writeReport(OUT, results.mode as string, results, figures);
  const met = figures.filter((f) => f.met === true).length;
  process.stdout.write(`\n${table(figures)}\n\n${met} met, ${figures.filter((f) => f.met === false).length} missed; written to ${file} (and .md)\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
