/**
 * The embedded data directory has one owner at a time (spec sections 2 and 7), with the built API and the built
 * CLI as real processes on one PGlite DATA_DIR: the directory is 0700 and its files 0600; a second API stops at
 * once naming the owner; the CLI, run while a load of writes goes on, answers through the API or stops naming the
 * owner; and every write the API acknowledged is in the store afterwards, also after a `kill -9` left a stale lock.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { ApiProcess } from '../../../test/harness/api-process';
import { MAIN, killHard, spawnApi } from '../../../test/harness/api-process';
import { PGLITE_TEMPLATE_ENV } from '../../../test/harness/pglite-template';

jest.setTimeout(600_000);

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'deploy', 'runtime', 'cli.js');
const OWNED = 75;
/** Starting the built API (Nest, PGlite) can take long on a busy 2-core machine; the CLI gets as long. */
const START_WITHIN_MS = 120_000;
const dirs: string[] = [];

/** A return opened by a web shop (this test talks to a process: it needs no application module in-process). */
const openCaseBody = () => ({
  orderId: 'ord-1001',
  customerId: 'cust-1',
  merchantId: 'merch-9',
  type: 'RETURN',
  channel: 'WEB',
  priority: 'HIGH',
  reason: 'Wrong size',
  description: 'The shoes are one size too small.',
  items: [{ sku: 'SHOE-42', quantity: 2, amount: 50 }],
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary DATA_DIR, seeded with the run's PGlite template (a fresh PGlite takes long to initialise). */
function dataDirWithTemplate(): string {
  const root = mkdtempSync(join(tmpdir(), 'aftersales-owner-'));
  dirs.push(root);
  const dataDir = join(root, 'data');
  const template = process.env[PGLITE_TEMPLATE_ENV];
  if (template) cpSync(template, join(dataDir, 'pglite'), { recursive: true });
  return dataDir;
}

const isolatedEnv = (dataDir: string) => ({
  ...process.env,
  NODE_OPTIONS: '',
  DATA_DIR: dataDir,
  AUTH_TOKENS: '',
  KAFKA_BROKERS: '',
  DATABASE_URL: '',
  EVENTSTORE_CONNECTION_STRING: '',
  RATE_LIMIT_PER_SECOND: '0', // the load of writes is about ownership, not throttling (0: no limit)
});

/** The built CLI as a real process, without blocking this process (the load keeps running meanwhile). */
function cli(dataDir: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: isolatedEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), START_WITHIN_MS + 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Stops the API as an operator does (SIGTERM) and answers its exit code. */
async function stopApi(api: ApiProcess): Promise<number | null> {
  if (api.child.exitCode !== null) return api.child.exitCode;
  const exited = new Promise<number | null>((resolve) => api.child.once('exit', (code) => resolve(code)));
  api.child.kill('SIGTERM');
  return exited;
}

function modesBelow(dir: string): Array<{ path: string; mode: number; directory: boolean }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const here = { path, mode: statSync(path).mode & 0o777, directory: entry.isDirectory() };
    return entry.isDirectory() ? [here, ...modesBelow(path)] : [here];
  });
}

function expectPrivate(dataDir: string): void {
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  const entries = modesBelow(dataDir);
  expect(entries.filter((e) => !e.directory).length).toBeGreaterThan(100); // PGlite's files are there
  expect(entries.filter((e) => e.mode !== (e.directory ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
}

const tokensOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'auth-tokens.json'), 'utf8')) as Record<string, string>;
const ownerLock = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'owner.lock'), 'utf8')) as Record<string, unknown>;

/** Opens and works cases over HTTP from several workers until stopped; keeps every write the API acknowledged. */
class WriteLoad {
  /** caseId → the highest revision the API acknowledged (201 for opening, 200 for an action). */
  readonly acknowledged = new Map<string, number>();
  readonly unexpected: string[] = [];
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly url: string,
    private readonly tokens: Record<string, string>,
    workers: number,
  ) {
    this.workers = Array.from({ length: workers }, () => this.work());
  }

  get writes(): number {
    return [...this.acknowledged.values()].reduce((sum, revision) => sum + revision + 1, 0);
  }

  private ack(caseId: string, revision: number): void {
    this.acknowledged.set(caseId, Math.max(this.acknowledged.get(caseId) ?? -1, revision));
  }

  private async work(): Promise<void> {
    while (this.running) {
      const opened = await request(this.url).post('/cases').set('Authorization', `Bearer ${this.tokens.service}`).send(openCaseBody());
      if (opened.status !== 201) {
        this.unexpected.push(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
        continue;
      }
      const caseId = opened.body.caseId as string;
      this.ack(caseId, opened.body.revision);
      let revision = opened.body.revision as number;
      for (const [action, body] of [
        ['acknowledge', {}],
        ['reply', { message: 'We are on it.' }],
      ] as const) {
        const answered = await request(this.url)
          .post(`/cases/${caseId}/${action}`)
          .set('Authorization', `Bearer ${this.tokens.agent}`)
          .send({ ...body, expectedRevision: revision });
        if (answered.status !== 200) {
          this.unexpected.push(`${action}: ${answered.status} ${JSON.stringify(answered.body)}`);
          break;
        }
        revision = answered.body.revision;
        this.ack(caseId, revision);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }
}

describe('One owner of the embedded data directory', () => {
  const dataDir = dataDirWithTemplate();
  let api: ApiProcess;
  let port: number;

  beforeAll(async () => {
    api = await spawnApi(isolatedEnv(dataDir), START_WITHIN_MS);
    port = Number(new URL(api.url).port);
  });

  afterAll(async () => {
    if (api && api.child.exitCode === null) await killHard(api);
  });

  it('keeps DATA_DIR 0700 and every file in it 0600 (the tokens file and PGlite’s), and names the API in its lock', () => {
    expectPrivate(dataDir);
    expect(statSync(join(dataDir, 'auth-tokens.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dataDir, 'pglite')).length).toBeGreaterThan(10);
    expect(ownerLock(dataDir)).toMatchObject({
      pid: api.child.pid,
      command: 'api',
      port,
      url: api.url,
      startedAt: expect.any(String),
      host: expect.any(String),
    });
  });

  it('stops a second API on the same DATA_DIR at once, naming the owner, with exit code 75', () => {
    const second = spawnSync(process.execPath, ['-r', join(ROOT, 'deploy', 'runtime', 'register-paths.js'), MAIN], {
      env: { ...isolatedEnv(dataDir), PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: START_WITHIN_MS,
    });
    expect(second.status).toBe(OWNED);
    expect(second.stderr).toContain(`is in use by the API (pid ${api.child.pid} on host`);
    expect(second.stderr).toContain(`listening on ${api.url} (port ${port})`);
    expect(second.stdout).not.toContain('storage opened');
    expect(ownerLock(dataDir)).toMatchObject({ pid: api.child.pid });
  });

  it('answers the CLI through the API or refuses naming the owner, under a load of writes; no acknowledged write is lost', async () => {
    const tokens = tokensOf(dataDir);
    const load = new WriteLoad(api.url, tokens, 4);
    const owner = `the API (pid ${api.child.pid} on host`;
    const listening = `listening on ${api.url} (port ${port})`;
    try {
      const deadline = Date.now() + 60_000;
      while (load.acknowledged.size < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const [someCase] = [...load.acknowledged.keys()];

      // Commands with an HTTP way work through the running API.
      const rebuild = await cli(dataDir, 'rebuild', 'all');
      expect(rebuild.stderr).toContain(`is owned by ${owner}`);
      expect(rebuild.stderr).toMatch(new RegExp(`escalation: done, \\d+ events applied in .* by the API at ${api.url}`));
      expect(rebuild.stderr).toMatch(/satisfaction: done/);
      expect(rebuild.stderr).toMatch(/loyalty: done/);
      expect(rebuild.code).toBe(0);

      const verify = await cli(dataDir, 'verify', '--case', someCase);
      expect(verify.stderr).toMatch(new RegExp(`1 streams, \\d+ events checked by the API at ${api.url}: every chain holds`));
      expect(verify.code).toBe(0);

      const exportFile = join(dataDir, '..', 'one-case.ndjson');
      const exported = await cli(dataDir, 'export', '--stream', `case-${someCase}`, '--out', exportFile);
      expect(exported.code).toBe(0);
      const lines = readFileSync(exportFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines[0]).toMatchObject({ streamId: `case-${someCase}`, revision: 0, type: 'CaseOpened', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(lines.length).toBeGreaterThanOrEqual(load.acknowledged.get(someCase)! + 1);

      // Commands that read the whole store stop at once, naming the owner.
      for (const args of [['verify'], ['export', '--from', '2020-01-01T00:00:00Z'], ['what-if', '--policy', 'none.json']]) {
        const refused = await cli(dataDir, ...args);
        expect(refused.code).toBe(OWNED);
        expect(refused.stderr).toContain(`is in use by ${owner}`);
        expect(refused.stderr).toContain(listening);
      }
    } finally {
      await load.stop();
    }
    expect(load.unexpected).toEqual([]);
    expect(load.writes).toBeGreaterThan(20);

    // Clean shutdown gives the directory up.
    expect(await stopApi(api)).toBe(0);
    expect(existsSync(join(dataDir, 'owner.lock'))).toBe(false);

    // Reopened by the CLI itself: every acknowledged write is there, and every chain holds.
    const everything = join(dataDir, '..', 'everything.ndjson');
    const exportAll = await cli(dataDir, 'export', '--out', everything);
    expect(exportAll.stderr).not.toContain('in use by');
    expect(exportAll.code).toBe(0);
    const stored = new Map<string, number>();
    for (const line of readFileSync(everything, 'utf8').trim().split('\n')) {
      const event = JSON.parse(line) as { streamId: string; revision: number };
      stored.set(event.streamId, Math.max(stored.get(event.streamId) ?? -1, event.revision));
    }
    const lost = [...load.acknowledged].filter(([caseId, revision]) => (stored.get(`case-${caseId}`) ?? -1) < revision);
    expect(lost).toEqual([]);
    const verifyAll = await cli(dataDir, 'verify');
    expect(verifyAll.stderr).toMatch(/every chain holds/);
    expect(verifyAll.code).toBe(0);
    expectPrivate(dataDir);
  });
});

describe('A stale lock left by kill -9', () => {
  it('is recovered on the next start, saying so, and every acknowledged write is still there', async () => {
    const dataDir = dataDirWithTemplate();
    const first = await spawnApi(isolatedEnv(dataDir), START_WITHIN_MS);
    const tokens = tokensOf(dataDir);
    const acknowledged: Array<{ caseId: string; revision: number }> = [];
    for (let i = 0; i < 5; i += 1) {
      const opened = await request(first.url).post('/cases').set('Authorization', `Bearer ${tokens.service}`).send(openCaseBody()).expect(201);
      const acked = await request(first.url)
        .post(`/cases/${opened.body.caseId}/acknowledge`)
        .set('Authorization', `Bearer ${tokens.agent}`)
        .send({})
        .expect(200);
      acknowledged.push({ caseId: opened.body.caseId, revision: acked.body.revision });
    }
    const killedPid = first.child.pid;
    await killHard(first);
    expect(ownerLock(dataDir)).toMatchObject({ pid: killedPid }); // left behind

    const second = await spawnApi(isolatedEnv(dataDir), START_WITHIN_MS);
    try {
      expect(second.output()).toContain('recovered a stale data directory lock');
      expect(second.output()).toContain(`pid ${killedPid} is not alive`);
      expect(ownerLock(dataDir)).toMatchObject({ pid: second.child.pid, url: second.url });
      for (const { caseId, revision } of acknowledged) {
        const read = await request(second.url).get(`/cases/${caseId}`).set('Authorization', `Bearer ${tokens.agent}`).expect(200);
        expect(read.body).toMatchObject({ caseId, status: 'ACKNOWLEDGED', revision });
      }
    } finally {
      expect(await stopApi(second)).toBe(0);
    }
    expect(existsSync(join(dataDir, 'owner.lock'))).toBe(false);
  });
});
