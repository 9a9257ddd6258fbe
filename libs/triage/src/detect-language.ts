/**
 * Language detection between Chinese and English: the share of CJK characters among the letters decides.
 * Case texts are short and often mix in Latin product names ("iPhone 屏幕坏了"): a Chinese character carries
 * about as much as a short English word, so each one weighs as much as four Latin letters.
 */
import { CJK_CHAR } from './normalise-text';

export type TriageLanguage = 'zh' | 'en';

export interface LanguageDetection {
  language: TriageLanguage;
  /** Share of CJK characters among CJK characters and Latin letters, 0..1. */
  cjkShare: number;
}

const LATIN_LETTER = /[a-z]/iu;
/** One Chinese character weighs as much as this many Latin letters (a short English word). */
const LETTERS_PER_CJK_CHAR = 4;

export function detectLanguage(text: string): LanguageDetection {
  let cjk = 0;
  let latin = 0;
  for (const ch of text) {
    if (CJK_CHAR.test(ch)) cjk += 1;
    else if (LATIN_LETTER.test(ch)) latin += 1;
  }
  const letters = cjk + latin;
  const cjkShare = letters === 0 ? 0 : cjk / letters;
  const language: TriageLanguage = cjk > 0 && cjk * LETTERS_PER_CJK_CHAR >= latin ? 'zh' : 'en';
  return { language, cjkShare: Math.round(cjkShare * 1000) / 1000 };
}
