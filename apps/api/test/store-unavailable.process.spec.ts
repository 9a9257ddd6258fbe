/**
 * A server that does not answer at start-up (PostgreSQL, Kafka, EventStoreDB): the built process stops with exit code 69
 * and one message naming the server, where it was looked for (password masked) and what to check — not a driver's stack trace.
 * Needs `npm run build` first, as `npm test` does.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the built API with the servers named in `servers` (the others unset) and waits for it to exit. */
function startWith(servers: { DATABASE_URL?: string; KAFKA_BROKERS?: string; EVENTSTORE_CONNECTION_STRING?: string }): SpawnSyncReturns<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-down-server-'));
  try {
    return spawnSync(process.execPath, ['-r', join(ROOT, 'deploy', 'runtime', 'register-paths.js'), MAIN], {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        DATABASE_URL: '',
        KAFKA_BROKERS: '',
        EVENTSTORE_CONNECTION_STRING: '',
        ...servers,
        PORT: '0',
        DATA_DIR: dataDir,
        AUTH_TOKENS: 'admin=admin-token-for-down-server-01',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('Start-up against a server that does not answer', () => {
  it('given DATABASE_URL names a PostgreSQL nobody runs, when the API starts, then it exits 69 naming the server', async () => {
    const port = await closedPort();
    const run = startWith({ DATABASE_URL: `postgres://shop:secret-password@127.0.0.1:${port}/aftersales` });
    expect(run.status).toBe(69);
    expect(run.stderr).toContain(`cannot start: PostgreSQL at postgres://shop:***@127.0.0.1:${port}/aftersales did not answer`);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).not.toContain('secret-password');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('given KAFKA_BROKERS names a broker nobody runs, when the API starts, then it exits 69 naming Kafka within seconds', async () => {
    const port = await closedPort();
    const started = Date.now();
    const run = startWith({ KAFKA_BROKERS: `127.0.0.1:${port}` });
    expect(run.status).toBe(69);
    expect(run.stderr).toContain(`cannot start: Kafka at 127.0.0.1:${port} did not answer`);
    expect(run.stderr).toContain('KAFKA_BROKERS');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('given EVENTSTORE_CONNECTION_STRING names a server nobody runs, when the API starts, then it exits 69 naming EventStoreDB', async () => {
    const port = await closedPort();
    const run = startWith({ EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false` });
    expect(run.status).toBe(69);
    expect(run.stderr).toContain(`cannot start: EventStoreDB at esdb://127.0.0.1:${port}?tls=false did not answer`);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
