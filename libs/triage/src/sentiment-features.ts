/**
 * The features the sentiment model reads: segmented words and adjacent-word bigrams. A negator marks the
 * words after it ("not happy" → "not_happy"; "不 满意" → "不_满意") up to the next punctuation in English, or
 * the next word in Chinese, so that negation flips what a word says instead of being lost in a bag of words.
 */
import type { TriageLanguage } from './detect-language';
import { segmentChinese, segmentEnglish } from './segment-words';

const ENGLISH_NEGATORS = new Set(['not', 'no', 'never', 'none', 'nothing', 'nobody', 'neither', 'nor', 'without', 'hardly', 'barely']);
const CHINESE_NEGATORS = new Set(['不', '没', '没有', '别', '未', '无', '非', '不是', '不太', '不会', '不能', '不要', '不够', '毫无', '并不', '从不', '没法']);
const SENTENCE_END = /^[.!?;,]$/u;

function isEnglishNegator(word: string): boolean {
  return ENGLISH_NEGATORS.has(word) || word.endsWith("n't");
}

/** Words with negation marked, in order; the words the features are built from. */
export function markedWords(text: string, language: TriageLanguage): string[] {
  if (language === 'zh') {
    const words = segmentChinese(text);
    const out: string[] = [];
    for (let i = 0; i < words.length; i += 1) {
      const w = words[i];
      if (CHINESE_NEGATORS.has(w) && i + 1 < words.length) {
        out.push(w, `${w}_${words[i + 1]}`);
        i += 1;
      } else out.push(w);
    }
    return out;
  }
  const out: string[] = [];
  let negated = false;
  for (const w of segmentEnglish(text)) {
    if (SENTENCE_END.test(w)) {
      negated = false;
      continue;
    }
    if (isEnglishNegator(w)) {
      negated = true;
      out.push(w);
      continue;
    }
    out.push(negated ? `not_${w}` : w);
  }
  return out;
}

/** Unigrams and bigrams of the marked words, deduplicated (presence, not counts). */
export function sentimentFeatures(words: readonly string[]): string[] {
  const features = new Set<string>(words);
  for (let i = 0; i + 1 < words.length; i += 1) features.add(`${words[i]} ${words[i + 1]}`);
  return [...features];
}
