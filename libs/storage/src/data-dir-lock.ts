/**
 * The ownership lock of an embedded data directory: `DATA_DIR/owner.lock`, one owner at a time. The file names the
 * owner (pid, host, command, start time, and the API's HTTP listener once it listens) so that a second process can
 * say who holds the directory, or work through that API. It is created atomically (written to a private file, then
 * hard-linked into place, which fails if the lock exists) and removed on release.
 *
 * A lock left by a killed owner is recovered: on the same host the owner is gone when its pid is not alive, or the
 * pid now belongs to another process (its start time in /proc differs) or to another boot; on another host (a shared
 * volume) when the lock has not been refreshed for `staleAfterMs`. Recovery happens under a short-lived guard file,
 * so two processes finding the same stale lock cannot both take the directory; it is logged.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const OWNER_LOCK_FILE = 'owner.lock';
/** Exit code of a process that stopped because another process owns the data directory (EX_TEMPFAIL). */
export const DATA_DIR_OWNED_EXIT_CODE = 75;

const REFRESH_EVERY_MS = 10_000;
const STALE_AFTER_MS = 60_000;
const GUARD_STALE_AFTER_MS = 10_000;

export interface DataDirOwner {
  pid: number;
  host: string;
  /** What holds the directory: `api`, or the CLI command (`aftersales rebuild`). */
  command: string;
  startedAt: string;
  /** The API's HTTP listener, once it listens. */
  port?: number;
  url?: string;
  nonce: string;
  bootId?: string;
  /** The owner process's start time in clock ticks since boot (Linux /proc), to tell a reused pid apart. */
  pidStart?: string;
}

export interface LockLog {
  event(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export function describeOwner(owner: DataDirOwner): string {
  const what = owner.command === 'api' ? 'the API' : owner.command;
  const listening = owner.url ? `, listening on ${owner.url} (port ${owner.port})` : owner.command === 'api' ? ', not listening yet' : '';
  return `${what} (pid ${owner.pid} on host ${owner.host}${listening}, since ${owner.startedAt})`;
}

export class DataDirOwnedError extends Error {
  readonly exitCode = DATA_DIR_OWNED_EXIT_CODE;
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner,
  ) {
    super(`the data directory ${dataDir} is in use by ${describeOwner(owner)}; one process at a time may open it`);
    this.name = 'DataDirOwnedError';
  }
}

/** Nonces of the locks this process holds (two acquisitions in one process must still exclude each other). */
const heldHere = new Set<string>();

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string | undefined): DataDirOwner | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as DataDirOwner;
    return typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' && typeof parsed.host === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why `owner` no longer holds the directory, or undefined while it does. */
export function staleReason(owner: DataDirOwner, lockAgeMs: number, staleAfterMs = STALE_AFTER_MS): string | undefined {
  if (owner.host !== hostname()) {
    return lockAgeMs > staleAfterMs ? `not refreshed for ${Math.round(lockAgeMs / 1000)} s (owner on another host)` : undefined;
  }
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return 'written before the machine restarted';
  if (owner.pid === process.pid) return heldHere.has(owner.nonce) ? undefined : `pid ${owner.pid} is this process, which does not hold it`;
  if (!pidAlive(owner.pid)) return `pid ${owner.pid} is not alive`;
  const start = processStart(owner.pid);
  if (owner.pidStart && start && owner.pidStart !== start) return `pid ${owner.pid} now belongs to another process`;
  return undefined;
}

function ageOf(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Creates `path` with `content`, atomically and only if it does not exist (EEXIST otherwise). */
function createExclusive(path: string, content: string): void {
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } finally {
    unlinkSync(temp);
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The live owner of `dataDir`, or undefined when nobody holds it (or only a stale lock is left). */
export function currentOwner(dataDir: string): DataDirOwner | undefined {
  const path = join(dataDir, OWNER_LOCK_FILE);
  const owner = parseOwner(readText(path));
  if (!owner) return undefined;
  return staleReason(owner, ageOf(path)) ? undefined : owner;
}

export interface AcquireOptions {
  command: string;
  log?: LockLog;
  staleAfterMs?: number;
  /** How long an unreadable lock file is given to become readable before it counts as damaged (default 2 s). */
  unreadableGraceMs?: number;
  /** Called when the lock turns out to be held by someone else after all (it was removed and retaken). */
  onLost?: (owner: DataDirOwner | undefined) => void;
}

export class DataDirLock {
  private refresher?: NodeJS.Timeout;
  private released = false;
  private readonly exitHook = () => this.release();

  private constructor(
    readonly dataDir: string,
    private owner: DataDirOwner,
    private readonly options: AcquireOptions,
  ) {
    heldHere.add(owner.nonce);
    this.refresher = setInterval(() => this.refresh(), REFRESH_EVERY_MS);
    this.refresher.unref();
    process.once('exit', this.exitHook);
  }

  get path(): string {
    return join(this.dataDir, OWNER_LOCK_FILE);
  }

  get holder(): DataDirOwner {
    return { ...this.owner };
  }

  /** Takes the directory, recovering a stale lock; throws DataDirOwnedError naming a live owner. */
  static async acquire(dataDir: string, options: AcquireOptions): Promise<DataDirLock> {
    const path = join(dataDir, OWNER_LOCK_FILE);
    const owner: DataDirOwner = {
      pid: process.pid,
      host: hostname(),
      command: options.command,
      startedAt: new Date().toISOString(),
      nonce: randomUUID(),
      bootId: bootId(),
      pidStart: processStart(process.pid),
    };
    let unreadableSince: number | undefined;
    for (let attempt = 0; attempt < 200; attempt += 1) {
      try {
        createExclusive(path, `${JSON.stringify(owner)}\n`);
        return new DataDirLock(dataDir, owner, options);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = readText(path);
      if (text === undefined) continue; // released meanwhile: try again
      const existing = parseOwner(text);
      let reason: string | undefined;
      if (!existing) {
        // Never half-written by this code (it links a complete file); wait a moment before calling it damaged.
        unreadableSince ??= Date.now();
        if (Date.now() - unreadableSince < (options.unreadableGraceMs ?? 2_000)) {
          await pause(50);
          continue;
        }
        reason = 'the lock file is unreadable';
      } else {
        reason = staleReason(existing, ageOf(path), options.staleAfterMs);
        if (!reason) throw new DataDirOwnedError(dataDir, existing);
      }
      if (await DataDirLock.removeStale(path, text, options)) {
        options.log?.event('warn', 'recovered a stale data directory lock', { dataDir, reason, staleOwner: existing ?? text.slice(0, 200) });
      }
    }
    throw new Error(`could not take the lock on ${dataDir}: ${path} keeps changing`);
  }

  /** Removes the lock at `path` if it still reads `judged`, under a guard so that only one process recovers it. */
  private static async removeStale(path: string, judged: string, options: AcquireOptions): Promise<boolean> {
    const guard = `${path}.recovering`;
    const me = {
      pid: process.pid,
      host: hostname(),
      command: options.command,
      startedAt: new Date().toISOString(),
      nonce: randomUUID(),
      bootId: bootId(),
      pidStart: processStart(process.pid),
    };
    try {
      createExclusive(guard, JSON.stringify(me));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = parseOwner(readText(guard));
      const age = ageOf(guard);
      if (!other || age > GUARD_STALE_AFTER_MS || staleReason(other, age, GUARD_STALE_AFTER_MS)) unlinkIfPresent(guard);
      else await pause(50);
      return false;
    }
    try {
      if (readText(path) !== judged) return false;
      unlinkIfPresent(path);
      return true;
    } finally {
      if (parseOwner(readText(guard))?.nonce === me.nonce) unlinkIfPresent(guard);
    }
  }

  /** Records the HTTP listener in the lock, so that other processes can work through it. */
  advertise(listener: { port: number; url: string }): void {
    this.assertHeld();
    const next = { ...this.owner, ...listener };
    const temp = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(next)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    this.owner = next;
  }

  /** Whether the lock file on disk is still this one. */
  isHeld(): boolean {
    return !this.released && parseOwner(readText(this.path))?.nonce === this.owner.nonce;
  }

  private assertHeld(): void {
    if (!this.isHeld()) throw new Error(`the lock on ${this.dataDir} is no longer held by this process`);
  }

  /** Keeps the lock fresh for owners on other hosts; re-creates it if it was deleted; reports it if taken. */
  private refresh(): void {
    if (this.released) return;
    try {
      const text = readText(this.path);
      if (text === undefined) {
        createExclusive(this.path, `${JSON.stringify(this.owner)}\n`);
        this.options.log?.event('warn', 'the data directory lock file was deleted; re-created it', { dataDir: this.dataDir });
        return;
      }
      const onDisk = parseOwner(text);
      if (onDisk?.nonce !== this.owner.nonce) {
        this.options.log?.event('error', 'the data directory lock is held by another process', { dataDir: this.dataDir, owner: onDisk });
        this.stopRefreshing();
        this.options.onLost?.(onDisk);
        return;
      }
      const now = new Date();
      utimesSync(this.path, now, now);
    } catch (error) {
      this.options.log?.event('error', 'could not refresh the data directory lock', { dataDir: this.dataDir, error: (error as Error).message });
    }
  }

  private stopRefreshing(): void {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = undefined;
  }

  /** Gives the directory up (idempotent); removes the lock only if it is still this one. */
  release(): void {
    if (this.released) return;
    this.stopRefreshing();
    process.removeListener('exit', this.exitHook);
    try {
      if (this.isHeld()) unlinkIfPresent(this.path);
    } finally {
      this.released = true;
      heldHere.delete(this.owner.nonce);
    }
  }
}
