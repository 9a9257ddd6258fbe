/**
 * The context of a candidate regulator term, as features for the context model: the term's category and
 * strength, the rule signals (a complaint cue near it, a negation before it, a quoted name around it), the
 * configured context signals (a place, a workplace, a withdrawn threat, a third party, an earlier time, praise,
 * a source read or heard; a condition, an intent, a step already taken), each marked by where it lies (left
 * window, right window, anywhere in the text), the words (Latin) or character bigrams (CJK) either side of the
 * term, and the term's sentence (regulator-sentence.ts): question or statement, who speaks, its words.
 */
import { CJK_CHAR } from './normalise-text';
import { sentenceFeatures } from './regulator-sentence';

export type SignalKind = 'place' | 'workplace' | 'withdrawn' | 'threat' | 'intent' | 'done' | 'other' | 'earlier' | 'praise' | 'source';
export const SIGNAL_KINDS: readonly SignalKind[] = ['place', 'workplace', 'withdrawn', 'threat', 'intent', 'done', 'other', 'earlier', 'praise', 'source'];

export interface ContextSignals {
  windowChars: number;
  /** Each kind's phrases, Chinese and Latin-script (a Latin phrase counts only as whole words). */
  phrases: Record<SignalKind, string[]>;
}

export interface Candidate {
  term: string;
  category: string;
  strength: 'strong' | 'contextual';
  at: number;
  length: number;
  cue?: string;
  negated: boolean;
  quoted: boolean;
}

const LATIN_CHAR = /[\p{Script=Latin}\p{N}]/u;
const TOKEN = /[\p{Script=Han}]+|[\p{L}\p{N}'?]+/gu;

function wholeWordAt(text: string, at: number, length: number): boolean {
  const before = text[at - 1];
  const after = text[at + length];
  return !(before !== undefined && LATIN_CHAR.test(before)) && !(after !== undefined && LATIN_CHAR.test(after));
}

/** Offsets where the phrase occurs (as whole words when it is Latin). */
export function phraseOffsets(text: string, phrase: string): number[] {
  const found: number[] = [];
  const latin = !CJK_CHAR.test(phrase);
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    if (!latin || wholeWordAt(text, at, phrase.length)) found.push(at);
  }
  return found;
}

/** Where a signal's phrases lie relative to the candidate: L (left window), R (right window), T (anywhere else). */
export function signalPlaces(text: string, c: Candidate, phrases: readonly string[], window: number): Set<string> {
  const places = new Set<string>();
  for (const phrase of phrases) {
    for (const p of phraseOffsets(text, phrase)) {
      if (p + phrase.length <= c.at && p >= c.at - window) places.add('L');
      else if (p >= c.at + c.length && p <= c.at + c.length + window) places.add('R');
      else if (p + phrase.length <= c.at || p >= c.at + c.length) places.add('T');
    }
  }
  return places;
}

/** Latin words whole, CJK runs as character bigrams (a single character alone). */
function tokens(span: string): string[] {
  const out: string[] = [];
  for (const run of span.match(TOKEN) ?? []) {
    if (!CJK_CHAR.test(run)) out.push(run);
    else if (run.length === 1) out.push(run);
    else for (let i = 0; i + 1 < run.length; i += 1) out.push(run.slice(i, i + 2));
  }
  return out;
}

export function candidateFeatures(text: string, c: Candidate, signals: ContextSignals): string[] {
  const features = [`cat:${c.category}`, `str:${c.strength}`, `term:${c.term}`];
  if (c.cue) features.push('rule:cue');
  if (c.negated) features.push('rule:negated');
  if (c.quoted) features.push('rule:quoted');
  const near = new Set<SignalKind>();
  for (const kind of SIGNAL_KINDS) {
    for (const place of signalPlaces(text, c, signals.phrases[kind], signals.windowChars)) {
      features.push(`${kind}:${place}`);
      if (place !== 'T') near.add(kind);
    }
  }
  features.push(...sentenceFeatures(text, c, near));
  const w = signals.windowChars;
  const left = tokens(text.slice(Math.max(0, c.at - w), c.at));
  const right = tokens(text.slice(c.at + c.length, c.at + c.length + w));
  for (const t of left) features.push(`L:${t}`);
  for (const t of right) features.push(`R:${t}`);
  if (left.length) features.push(`L1:${left[left.length - 1]}`);
  if (right.length) features.push(`R1:${right[0]}`);
  return [...new Set(features)];
}
