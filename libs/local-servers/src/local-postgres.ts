/**
 * A throwaway PostgreSQL server for the test run, started from the machine's own binaries (Debian's
 * `postgresql` package) when no TEST_DATABASE_URL is given. Runs as the `postgres` user when we are root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalPostgres {
  url: string;
  dataDir: string;
  binDir: string;
  asUser?: string;
  /** Server options given to pg_ctl (port, socket directory, settings), reused on a restart. */
  options: string;
}

export function findPostgresBinaries(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) {
      candidates.push(join('/usr/lib/postgresql', version, 'bin'));
    }
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function run(binDir: string, tool: string, args: string[], asUser?: string): void {
  const command = asUser ? 'runuser' : join(binDir, tool);
  const argv = asUser ? ['-u', asUser, '--', join(binDir, tool), ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', cwd: '/' });
  if (result.status !== 0) {
    throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export async function startLocalPostgres(binDir: string): Promise<LocalPostgres> {
  const isRoot = process.getuid?.() === 0;
  const asUser = isRoot ? 'postgres' : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-pg-'));
  if (asUser) {
    const uid = Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  const port = await freePort();
  run(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], asUser);
  const options = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const server: LocalPostgres = { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir, binDir, asUser, options };
  startLocalPostgresAgain(server);
  return server;
}

/**
 * Starts a stopped server on the same data directory and port. The server log always goes to a file: a
 * postmaster left holding our stdout would keep spawnSync waiting for ever.
 */
export function startLocalPostgresAgain(server: LocalPostgres): void {
  run(
    server.binDir,
    'pg_ctl',
    ['-D', server.dataDir, '-o', server.options, '-l', join(server.dataDir, 'server.log'), '-w', '-t', '60', 'start'],
    server.asUser,
  );
}

/** Stops the server, keeping its data: `fast` ends sessions and checkpoints, `immediate` is a crash. */
export function haltLocalPostgres(server: LocalPostgres, mode: 'fast' | 'immediate'): void {
  run(server.binDir, 'pg_ctl', ['-D', server.dataDir, '-m', mode, '-w', '-t', '60', 'stop'], server.asUser);
}

export function stopLocalPostgres(server: LocalPostgres): void {
  try {
    haltLocalPostgres(server, 'immediate');
  } finally {
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}
