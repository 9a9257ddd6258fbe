/**
 * Scans every file under a directory, byte by byte, for secrets: a key in each encoding the code writes it in
 * (raw, hex, base64) and personal values as UTF-8. Answers "<what> in <file>" for each hit.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type Needles = Record<string, Buffer>;

export function keyNeedles(name: string, key: Buffer): Needles {
  return {
    [`${name} (raw)`]: key,
    [`${name} (hex)`]: Buffer.from(key.toString('hex')),
    [`${name} (base64)`]: Buffer.from(key.toString('base64')),
  };
}

export function textNeedles(values: Record<string, string>): Needles {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, Buffer.from(value, 'utf8')]));
}

/** Every regular file under `dir`, recursively (symbolic links are not followed). */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (isFileStillThere(path)) found.push(path);
  }
  return found;
}

/** A running server removes files while the scan walks (PostgreSQL's `pg_internal.init`): a file gone holds nothing. */
function readIfStillThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isFileStillThere(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function filesHolding(dir: string, needles: Needles): string[] {
  const hits: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = readIfStillThere(file);
    if (!bytes) continue;
    for (const [what, needle] of Object.entries(needles)) if (bytes.includes(needle)) hits.push(`${what} in ${relative(dir, file)}`);
  }
  return hits;
}
