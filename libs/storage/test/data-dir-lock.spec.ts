/**
 * The embedded data directory has one owner at a time: the ownership lock names its owner, refuses a second one,
 * and recovers a lock whose owner is gone (dead pid, reused pid, or not refreshed on another host), saying so.
 * The directory and what is in it are private to the owner (0700 / 0600).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataDirOwner, LockLog } from '@aftersales/storage';
import { DATA_DIR_OWNED_EXIT_CODE, DataDirLock, DataDirOwnedError, OWNER_LOCK_FILE, currentOwner, secureDataDir } from '@aftersales/storage';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-lock-'));
  dirs.push(dir);
  return dir;
}

function recordingLog(): LockLog & { lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  return { lines, event: (level, msg, fields) => lines.push({ level, msg, fields }) };
}

/** A real process that is alive until the test ends, and its start time as /proc records it. */
async function liveProcess(): Promise<{ pid: number; pidStart: string }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  return { pid: child.pid!, pidStart: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function leaveLock(dir: string, owner: Partial<DataDirOwner>): string {
  const text = `${JSON.stringify({ host: hostname(), command: 'api', startedAt: '2026-03-02T09:00:00.000Z', nonce: 'left-behind', ...owner })}\n`;
  writeFileSync(join(dir, OWNER_LOCK_FILE), text);
  return text;
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the ownership lock of a data directory', () => {
  it('names its owner, refuses a second one while held, and is gone once released', async () => {
    const dir = freshDir();
    const first = await DataDirLock.acquire(dir, { command: 'api' });
    const lockFile = join(dir, OWNER_LOCK_FILE);
    expect(statSync(lockFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), command: 'api', startedAt: expect.any(String) });

    first.advertise({ port: 43210, url: 'http://127.0.0.1:43210' });
    expect(currentOwner(dir)).toMatchObject({ pid: process.pid, port: 43210, url: 'http://127.0.0.1:43210' });

    const second = DataDirLock.acquire(dir, { command: 'aftersales verify' });
    await expect(second).rejects.toThrow(DataDirOwnedError);
    await expect(second).rejects.toThrow(`the API (pid ${process.pid} on host ${hostname()}, listening on http://127.0.0.1:43210 (port 43210)`);
    await expect(second).rejects.toMatchObject({ exitCode: DATA_DIR_OWNED_EXIT_CODE, owner: { pid: process.pid, port: 43210 } });

    first.release();
    expect(existsSync(lockFile)).toBe(false);
    expect(currentOwner(dir)).toBeUndefined();
    const third = await DataDirLock.acquire(dir, { command: 'aftersales verify' });
    expect(currentOwner(dir)).toMatchObject({ command: 'aftersales verify' });
    third.release();
  });

  it('recovers a lock whose owner was killed (its pid is not alive), and logs the recovery', async () => {
    const dir = freshDir();
    const pid = await deadPid();
    leaveLock(dir, { pid, url: 'http://127.0.0.1:1', port: 1 });
    expect(currentOwner(dir)).toBeUndefined();
    const log = recordingLog();
    const lock = await DataDirLock.acquire(dir, { command: 'api', log });
    expect(currentOwner(dir)).toMatchObject({ pid: process.pid, nonce: lock.holder.nonce });
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'recovered a stale data directory lock',
        fields: expect.objectContaining({ reason: `pid ${pid} is not alive`, staleOwner: expect.objectContaining({ pid }) }),
      }),
    ]);
    lock.release();
  });

  it('recovers a lock whose pid now belongs to another process, but not one held by a live process', async () => {
    const dir = freshDir();
    const other = await liveProcess();
    leaveLock(dir, { pid: other.pid, pidStart: String(Number(other.pidStart) - 1) });
    const log = recordingLog();
    const lock = await DataDirLock.acquire(dir, { command: 'api', log });
    expect(log.lines[0].fields).toMatchObject({ reason: `pid ${other.pid} now belongs to another process` });
    lock.release();

    leaveLock(dir, { pid: other.pid, pidStart: other.pidStart });
    await expect(DataDirLock.acquire(dir, { command: 'api' })).rejects.toThrow(`the API (pid ${other.pid} on host ${hostname()}, not listening yet`);
    expect(JSON.parse(readFileSync(join(dir, OWNER_LOCK_FILE), 'utf8')).pid).toBe(other.pid);
  });

  it('trusts an owner on another host while it refreshes the lock, and recovers it once it stops', async () => {
    const dir = freshDir();
    leaveLock(dir, { pid: 1, host: 'elsewhere.example' });
    await expect(DataDirLock.acquire(dir, { command: 'api', staleAfterMs: 60_000 })).rejects.toThrow('pid 1 on host elsewhere.example');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    utimesSync(join(dir, OWNER_LOCK_FILE), twoMinutesAgo, twoMinutesAgo);
    const log = recordingLog();
    const lock = await DataDirLock.acquire(dir, { command: 'api', staleAfterMs: 60_000, log });
    expect(log.lines[0].fields!.reason).toMatch(/^not refreshed for 12\d s \(owner on another host\)$/);
    lock.release();
  });

  it('recovers a damaged lock file once it stays unreadable', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, OWNER_LOCK_FILE), '{"pid": 12');
    const log = recordingLog();
    const lock = await DataDirLock.acquire(dir, { command: 'api', log, unreadableGraceMs: 0 });
    expect(log.lines[0].fields).toMatchObject({ reason: 'the lock file is unreadable' });
    expect(currentOwner(dir)?.nonce).toBe(lock.holder.nonce);
    lock.release();
  });

  it('never removes a lock it does not hold when released', async () => {
    const dir = freshDir();
    const lock = await DataDirLock.acquire(dir, { command: 'api' });
    const other = await liveProcess();
    const theirs = leaveLock(dir, { pid: other.pid, pidStart: other.pidStart, nonce: 'theirs' });
    expect(lock.isHeld()).toBe(false);
    lock.release();
    expect(readFileSync(join(dir, OWNER_LOCK_FILE), 'utf8')).toBe(theirs);
  });
});

describe('the data directory is private to its owner', () => {
  it('is created 0700', () => {
    const dir = join(freshDir(), 'data');
    secureDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is tightened to 0700, and what is in it loses group and other access, saying so', () => {
    const dir = freshDir();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'pglite'), { mode: 0o755 });
    writeFileSync(join(dir, 'pglite', 'PG_VERSION'), '17', { mode: 0o644 });
    writeFileSync(join(dir, 'auth-tokens.json'), '{}', { mode: 0o664 });
    chmodSync(join(dir, 'pglite'), 0o755);
    chmodSync(join(dir, 'pglite', 'PG_VERSION'), 0o644);
    chmodSync(join(dir, 'auth-tokens.json'), 0o664);
    const log = recordingLog();
    secureDataDir(dir, log);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'pglite')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'pglite', 'PG_VERSION')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'auth-tokens.json')).mode & 0o777).toBe(0o600);
    expect(log.lines).toEqual([
      { level: 'warn', msg: 'tightened the data directory to 0700', fields: { dataDir: dir, was: '0755' } },
      { level: 'warn', msg: 'removed group and other access from entries in the data directory', fields: { dataDir: dir, entries: 3 } },
    ]);
  });
});
