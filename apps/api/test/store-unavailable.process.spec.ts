/**
 * A store that does not answer at start-up: the built process stops with exit code 69 and one message naming the
 * store, where it was looked for (password masked) and what to check — not a driver's stack trace.
 * Needs `npm run build` first, as `npm test` does.
 */
import { spawnSync } from 'node:child_process';
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

describe('Start-up against a store that does not answer', () => {
  it('given DATABASE_URL names a PostgreSQL nobody runs, when the API starts, then it exits 69 naming the server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-down-pg-'));
    const port = await closedPort();
    try {
      const run = spawnSync(process.execPath, ['-r', join(ROOT, 'deploy', 'runtime', 'register-paths.js'), MAIN], {
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          KAFKA_BROKERS: '',
          EVENTSTORE_CONNECTION_STRING: '',
          PORT: '0',
          DATA_DIR: dataDir,
          AUTH_TOKENS: 'admin=admin-token-for-down-store-01',
          DATABASE_URL: `postgres://shop:secret-password@127.0.0.1:${port}/aftersales`,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(69);
      expect(run.stderr).toContain(`cannot start: PostgreSQL at postgres://shop:***@127.0.0.1:${port}/aftersales did not answer`);
      expect(run.stderr).toContain('ECONNREFUSED');
      expect(run.stderr).not.toContain('secret-password');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  it('given KAFKA_BROKERS names a broker nobody runs, when the API starts, then it exits 69 naming Kafka within seconds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-down-kafka-'));
    const port = await closedPort();
    try {
      const started = Date.now();
      const run = spawnSync(process.execPath, ['-r', join(ROOT, 'deploy', 'runtime', 'register-paths.js'), MAIN], {
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          DATABASE_URL: '',
          EVENTSTORE_CONNECTION_STRING: '',
          PORT: '0',
          DATA_DIR: dataDir,
          AUTH_TOKENS: 'admin=admin-token-for-down-kafka-01',
          KAFKA_BROKERS: `127.0.0.1:${port}`,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(69);
      expect(run.stderr).toContain(`cannot start: Kafka at 127.0.0.1:${port} did not answer`);
      expect(run.stderr).toContain('KAFKA_BROKERS');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  it('given EVENTSTORE_CONNECTION_STRING names a server nobody runs, when the API starts, then it exits 69 naming EventStoreDB', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-down-esdb-'));
    const port = await closedPort();
    try {
      const run = spawnSync(process.execPath, ['-r', join(ROOT, 'deploy', 'runtime', 'register-paths.js'), MAIN], {
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          DATABASE_URL: '',
          KAFKA_BROKERS: '',
          PORT: '0',
          DATA_DIR: dataDir,
          AUTH_TOKENS: 'admin=admin-token-for-down-esdb-01',
          EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false`,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(69);
      expect(run.stderr).toContain(`cannot start: EventStoreDB at esdb://127.0.0.1:${port}?tls=false did not answer`);
      expect(run.stderr).toContain('ECONNREFUSED');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
