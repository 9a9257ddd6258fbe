/**
 * Word segmentation: Chinese through jieba (`@node-rs/jieba`, its bundled dictionary, HMM for unknown words),
 * English by a word pattern. Input is expected to be normalised already (see normalise-text). Punctuation and
 * spaces are dropped; the jieba instance is built once, on first use.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import type { TriageLanguage } from './detect-language';

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const WORDLIKE = /[\p{L}\p{N}]/u;
const ENGLISH_WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[.!?;,]/gu;

/** Chinese text segmented into words; Latin runs inside it stay whole ("iphone", "12315"). */
export function segmentChinese(text: string): string[] {
  return segmenter()
    .cut(text, true)
    .map((w) => w.trim())
    .filter((w) => w.length > 0 && WORDLIKE.test(w));
}

/** English words, with sentence punctuation kept as boundaries (they end a negation's scope). */
export function segmentEnglish(text: string): string[] {
  return (text.match(ENGLISH_WORD) ?? []).map((w) => w.replace(/’/gu, "'"));
}

export function segmentWords(text: string, language: TriageLanguage): string[] {
  return language === 'zh' ? segmentChinese(text) : segmentEnglish(text).filter((w) => WORDLIKE.test(w));
}
