/**
 * Command path: concurrent clients drive whole case lifecycles over HTTP against the built API process, and the
 * same events are appended straight into the same kind of store as the raw baseline, in the same run.
 * Lifecycle per case: open, acknowledge, assign, propose-resolution (EXPLANATION), accept-resolution, resolve —
 * the shortest path the domain allows from opening to resolution. Each case is about an order of its own, by one of
 * BENCH_CUSTOMERS customers in turn: an opening looks up its customer's tier and earlier cases about the order,
 * and one customer with one order for every case would make each opening read all cases opened before it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { Actor, CaseCommand, CaseEvent, OpenCasePayload } from '@aftersales/case-domain';
import { DEFAULT_SLA_POLICY, ManualClock, decide, evolve, initialCaseState } from '@aftersales/case-domain';
import { caseStreamId, toEnvelopes } from '@aftersales/case-application';
import type { EventStore, EventToAppend } from '@aftersales/event-store';
import { PROFILE_DIR } from './profiling';
import { sleep, summarise } from './stats';

const ROOT = join(__dirname, '..', '..', '..', '..');
const TOKENS = { service: 'bench-service-token-000001', agent: 'bench-agent-token-0000001' };

export interface ApiProcess {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** `profileName`: with BENCH_CPU_PROF set, the process writes `<dir>/<profileName>.cpuprofile` when it stops. */
export async function startApiProcess(env: Record<string, string>, port: number, profileName?: string): Promise<ApiProcess> {
  const profiling = PROFILE_DIR && profileName ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${profileName}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profiling, '-r', join(ROOT, 'deploy/runtime/register-paths.js'), join(ROOT, 'dist/apps/api/src/main.js')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      KAFKA_BROKERS: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_SECOND: '0',
      AUTH_TOKENS: `service=${TOKENS.service},agent=${TOKENS.agent}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const deadline = Date.now() + 60_000;
  while (!output.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`API did not start:\n${output}`);
    await sleep(100);
  }
  return {
    child,
    port,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function post(agent: Agent, port: number, path: string, token: string, body: object): Promise<{ status: number; body: { caseId?: string } }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const OPEN: OpenCasePayload = {
  orderId: 'ord-bench',
  customerId: 'cust-bench',
  merchantId: 'merch-bench',
  type: 'RETURN',
  channel: 'WEB',
  priority: 'NORMAL',
  reason: 'Wrong size',
  description: 'The shoes are one size too small.',
  items: [{ sku: 'SHOE-42', quantity: 1, amount: 59.9 }],
  currency: 'EUR',
};
/** How many customers the cases are spread over (each customer's cases, tier and key are shared by their cases). */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);

/** The opening of the n-th case: its own order, a customer of the pool. */
export function openingOf(n: number): OpenCasePayload {
  return { ...OPEN, orderId: `ord-bench-${n}`, customerId: `cust-bench-${n % Math.max(1, CUSTOMERS)}` };
}

const STEPS: Array<[string, object, 'agent' | 'service']> = [
  ['acknowledge', {}, 'agent'],
  ['assign', { agentId: 'agent-1', team: 'returns' }, 'agent'],
  ['propose-resolution', { kind: 'EXPLANATION' }, 'agent'],
  ['accept-resolution', {}, 'service'],
  ['resolve', { summary: 'Explained' }, 'agent'],
];

/** Runs `concurrency` workers, measures `seconds` after `warmupSeconds`, then stops them. */
async function measureWhile(
  concurrency: number,
  seconds: number,
  warmupSeconds: number,
  worker: (state: { running: boolean; measuring: boolean }) => Promise<void>,
): Promise<number> {
  const state = { running: true, measuring: false };
  const workers = Array.from({ length: concurrency }, () => worker(state));
  await sleep(warmupSeconds * 1000);
  state.measuring = true;
  const started = Date.now();
  await sleep(seconds * 1000);
  state.measuring = false;
  const elapsed = (Date.now() - started) / 1000;
  state.running = false;
  await Promise.all(workers);
  return elapsed;
}

export interface LoadResult {
  commandsPerSecond: number;
  commands: number;
  errors: number;
  latencyMs: ReturnType<typeof summarise>;
}

/** Drives lifecycles over HTTP with `concurrency` clients for `seconds` (after a warm-up). */
export async function httpLoad(port: number, concurrency: number, seconds: number, warmupSeconds = 3): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let commands = 0;
  let errors = 0;
  let cases = 0;
  const elapsed = await measureWhile(concurrency, seconds, warmupSeconds, async (state) => {
    while (state.running) {
      const timed = async (path: string, token: string, body: object) => {
        const t = process.hrtime.bigint();
        const res = await post(agent, port, path, token, body);
        if (state.measuring) {
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          commands += 1;
          if (res.status >= 400) errors += 1;
        }
        return res;
      };
      const opened = await timed('/cases', TOKENS.service, openingOf(cases++));
      if (opened.status !== 201) continue;
      for (const [action, body, role] of STEPS) {
        if (!state.running) break;
        await timed(`/cases/${opened.body.caseId}/${action}`, TOKENS[role], body);
      }
    }
  });
  agent.destroy();
  return { commandsPerSecond: Math.round(commands / elapsed), commands, errors, latencyMs: summarise(latencies) };
}

/** The events of one lifecycle, decided once by the domain, as appends per command (fresh ids per case). */
function lifecycleTemplate(): Array<{ events: CaseEvent[] }> {
  const clock = new ManualClock();
  const caseId = randomUUID();
  let state = initialCaseState(caseId);
  const out: Array<{ events: CaseEvent[] }> = [];
  const actor: Actor = { type: 'agent', id: 'agent-1' };
  const commands: CaseCommand[] = [
    { type: 'open', caseId, actor: { type: 'service', id: 'service' }, payload: OPEN },
    ...STEPS.map(([type, payload]) => ({ type, caseId, actor, payload }) as CaseCommand),
  ];
  for (const command of commands) {
    const events = decide(command, state, { clock, slaPolicy: DEFAULT_SLA_POLICY });
    state = events.reduce(evolve, state);
    out.push({ events });
  }
  return out;
}

/** Raw baseline: the same appends (one per command, same events) straight into the store, same concurrency. */
export async function rawAppendLoad(store: EventStore, concurrency: number, seconds: number, warmupSeconds = 2): Promise<LoadResult> {
  const template = lifecycleTemplate();
  const latencies: number[] = [];
  let appends = 0;
  const elapsed = await measureWhile(concurrency, seconds, warmupSeconds, async (state) => {
    while (state.running) {
      const caseId = randomUUID();
      let revision: number | 'no_stream' = 'no_stream';
      for (const step of template) {
        if (!state.running) break;
        const envelopes: EventToAppend[] = toEnvelopes(caseId, step.events, {
          actor: step.events[0].actor,
          correlationId: randomUUID(),
          commandId: randomUUID(),
        });
        const t = process.hrtime.bigint();
        const result = await store.append(caseStreamId(caseId), envelopes, revision);
        revision = result.revision;
        // PGlite answers without touching the event loop; yield so timers (the end of the run) can fire.
        await new Promise((resolve) => setImmediate(resolve));
        if (state.measuring) {
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          appends += 1;
        }
      }
    }
  });
  return { commandsPerSecond: Math.round(appends / elapsed), commands: appends, errors: 0, latencyMs: summarise(latencies) };
}
