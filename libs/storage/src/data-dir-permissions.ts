/**
 * Who may read the data directory: only its owner. DATA_DIR is created 0700 and tightened to 0700 if it exists
 * with looser modes; files already in it lose their group and other bits. New files are 0600 because the entry
 * points set the process umask to 0o077 before anything is written. PGlite is the exception: on a fresh
 * directory it unpacks its initial cluster with explicit 0666 modes (a chmod, which the umask does not cover), so
 * its directory is made private again right after it opens (`makePrivate`).
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LockLog } from './data-dir-lock';

export const PRIVATE_UMASK = 0o077;

/** Sets the umask that makes every new file 0600 and every new directory 0700; call first thing in an entry point. */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK);
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Removes group and other bits below `dir` (symbolic links are left alone); answers how many entries changed. */
export function makePrivate(dir: string): number {
  let changed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if (stat.mode & 0o077) {
      chmodSync(path, stat.mode & 0o700);
      changed += 1;
    }
    if (stat.isDirectory()) changed += makePrivate(path);
  }
  return changed;
}

/** Creates `dir` 0700, or tightens it (and what is in it) if it exists with looser modes; logs what it changed. */
export function secureDataDir(dir: string, log?: LockLog): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (stat.mode & 0o077) {
    chmodSync(dir, 0o700);
    log?.event('warn', 'tightened the data directory to 0700', { dataDir: dir, was: octal(stat.mode) });
  }
  const files = makePrivate(dir);
  if (files) log?.event('warn', 'removed group and other access from entries in the data directory', { dataDir: dir, entries: files });
}
