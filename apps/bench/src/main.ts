/**
 * `npm run bench`: measures spec section 10's figures on this machine, each next to its raw baseline taken in the
 * same run, writes them to bench-results/<time>.json and prints a table.
 *
 * BENCH_ONLY=command,lag,replay   which parts (default all)
 * BENCH_SECONDS=20 BENCH_CONCURRENCY=32           command path
 * BENCH_LAG_RATE=1000 BENCH_LAG_SECONDS=60         projection lag
 * BENCH_EVENTS=1000000 BENCH_EVENTS_SMALL=100000   replay and growth
 * BENCH_DATABASE_URL, KAFKA_BROKERS                use these servers instead of starting local ones
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SqlEventStore } from '@aftersales/event-store';
import { canRunKafka, findPostgresBinaries, startKafka, startLocalPostgres, stopKafka, stopLocalPostgres } from '@aftersales/local-servers';
import type { LocalPostgres } from '@aftersales/local-servers';
import { PgliteSqlClient, PostgresSqlClient } from '@aftersales/sql-client';
import { CaseGenerator } from './case-generator';
import { httpLoad, rawAppendLoad, startApiProcess } from './command-path';
import { projectionLag } from './projection-lag';
import { fillStore, rawRead, rebuildAll } from './replay';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const only = (process.env.BENCH_ONLY ?? 'command,lag,replay').split(',');
const SECONDS = env('BENCH_SECONDS', 20);
const CONCURRENCY = env('BENCH_CONCURRENCY', 32);
const LAG_RATE = env('BENCH_LAG_RATE', 1000);
const LAG_SECONDS = env('BENCH_LAG_SECONDS', 60);
const EVENTS = env('BENCH_EVENTS', 1_000_000);
const EVENTS_SMALL = env('BENCH_EVENTS_SMALL', 100_000);

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const pct = (a: number, b: number) => Math.round((a / b) * 1000) / 10;

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

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1e9), node: process.version },
    startedAt: new Date().toISOString(),
  };
  const rows: string[][] = [];
  let pg: LocalPostgres | undefined;
  let pgBase = process.env.BENCH_DATABASE_URL;
  if (!pgBase) {
    const bin = findPostgresBinaries();
    if (!bin) throw new Error("PostgreSQL binaries not found (Debian's postgresql package) and BENCH_DATABASE_URL not set");
    pg = await startLocalPostgres(bin);
    pgBase = pg.url;
  }
  let kafkaDir: string | undefined;
  try {
    if (only.includes('command')) {
      let port = 39_000;
      for (const kind of ['pglite', 'postgres'] as const) {
        log(`command path on ${kind}: ${CONCURRENCY} clients, ${SECONDS} s`);
        const dataDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
        const url = kind === 'postgres' ? await newDatabase(pgBase, 'bench_http') : '';
        const api = await startApiProcess({ DATA_DIR: dataDir, DATABASE_URL: url }, ++port);
        const http = await httpLoad(api.port, CONCURRENCY, SECONDS);
        await api.stop();
        log(`raw appends on ${kind}`);
        const sql = kind === 'postgres' ? await PostgresSqlClient.open(await newDatabase(pgBase, 'bench_raw'), CONCURRENCY) : await PgliteSqlClient.open(mkdtempSync(join(tmpdir(), 'bench-raw-')));
        const store = await SqlEventStore.open(kind, sql);
        const raw = await rawAppendLoad(store, CONCURRENCY, SECONDS);
        await store.close();
        results[`commandPath_${kind}`] = { http, raw, ratioPercent: pct(http.commandsPerSecond, raw.commandsPerSecond) };
        rows.push([`command path (${kind})`, `${http.commandsPerSecond} cmd/s, p50 ${http.latencyMs.p50} ms, p99 ${http.latencyMs.p99} ms, errors ${http.errors}`, `${raw.commandsPerSecond} appends/s`, `${pct(http.commandsPerSecond, raw.commandsPerSecond)} %`, '≥ 50 % and ≥ 1,500 cmd/s']);
      }
    }

    if (only.includes('lag')) {
      let brokers = process.env.KAFKA_BROKERS?.split(',');
      if (!brokers) {
        if (!canRunKafka().ok) throw new Error('Kafka needs Java and Maven, or set KAFKA_BROKERS');
        kafkaDir = mkdtempSync(join(tmpdir(), 'bench-kafka-'));
        brokers = [startKafka(kafkaDir)];
      }
      log(`projection lag: ${LAG_RATE} events/s for ${LAG_SECONDS} s through Kafka at ${brokers.join(',')}`);
      const sql = await PostgresSqlClient.open(await newDatabase(pgBase, 'bench_lag'), 10);
      const store = await SqlEventStore.open('postgres', sql);
      const lag = await projectionLag(store, sql, brokers, LAG_RATE, LAG_SECONDS);
      await sql.close();
      results.projectionLag = lag;
      for (const [view, v] of Object.entries(lag.views)) {
        rows.push([`lag → ${view}`, `p50 ${v.latencyMs.p50} ms, p99 ${v.latencyMs.p99} ms, max ${v.latencyMs.max} ms`, `${lag.achievedRate} ev/s appended`, `lost ${v.lost}, doubled ${v.doubled}`, 'p99 < 250 ms, none lost or doubled']);
      }
    }

    if (only.includes('replay')) {
      const url = await newDatabase(pgBase, 'bench_replay');
      const sql = await PostgresSqlClient.open(url, 10);
      const store = await SqlEventStore.open('postgres', sql);
      const generator = new CaseGenerator(42);
      const replay: Record<string, unknown> = {};
      let stored = 0;
      for (const [label, target] of [['small', EVENTS_SMALL], ['large', EVENTS]] as const) {
        stored = await fillStore(store, generator, target, stored);
        log(`raw read of ${stored} events`);
        const raw = await rawRead(store);
        log(`rebuilding all three views from ${raw.events} events`);
        const rebuild = await rebuildAll(store, sql, raw.events, `_bench_${label}`);
        replay[label] = { raw, rebuild, ratioPercent: pct(rebuild.eventsPerSecond, raw.eventsPerSecond) };
        rows.push([`replay ${raw.events} events (PostgreSQL)`, `${rebuild.eventsPerSecond} ev/s (${rebuild.seconds} s), peak RSS ${rebuild.peakRssMb} MB`, `${raw.eventsPerSecond} ev/s raw read`, `${pct(rebuild.eventsPerSecond, raw.eventsPerSecond)} %`, '≥ 30 %, RSS < 512 MB']);
      }
      results.replay = replay;
      const small = replay.small as { rebuild: { seconds: number; events: number } };
      const large = replay.large as { rebuild: { seconds: number; events: number } };
      const linearity = Math.round((large.rebuild.seconds / large.rebuild.events / (small.rebuild.seconds / small.rebuild.events)) * 100) / 100;
      rows.push(['growth: replay time per event', `${linearity}× (large ÷ small)`, '', '', '≈ 1× (linear)']);

      log(`command latency with ${stored} events stored (PostgreSQL)`);
      await sql.close();
      const api = await startApiProcess({ DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-api-')), DATABASE_URL: url }, 39_100);
      const loaded = await httpLoad(api.port, CONCURRENCY, Math.min(SECONDS, 15));
      await api.stop();
      const emptyApi = await startApiProcess({ DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-api-')), DATABASE_URL: await newDatabase(pgBase, 'bench_empty') }, 39_101);
      const empty = await httpLoad(emptyApi.port, CONCURRENCY, Math.min(SECONDS, 15));
      await emptyApi.stop();
      results.growth = { storedEvents: stored, empty: empty.latencyMs, loaded: loaded.latencyMs, p50Ratio: Math.round((loaded.latencyMs.p50 / empty.latencyMs.p50) * 100) / 100, replayLinearity: linearity };
      rows.push([`growth: command p50 at ${stored} events`, `${loaded.latencyMs.p50} ms (${loaded.commandsPerSecond} cmd/s)`, `${empty.latencyMs.p50} ms empty`, `${Math.round((loaded.latencyMs.p50 / empty.latencyMs.p50) * 100) / 100}×`, '≤ 1.5×']);
    }
  } finally {
    if (kafkaDir) stopKafka(kafkaDir);
    if (pg) stopLocalPostgres(pg);
  }

  results.finishedAt = new Date().toISOString();
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `${(results.startedAt as string).replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[['figure', 'measured', 'raw baseline', 'ratio / check', 'goal'], ...rows].map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`\n${line(['figure', 'measured', 'raw baseline', 'ratio / check', 'goal'])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n\nwritten to ${file}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
