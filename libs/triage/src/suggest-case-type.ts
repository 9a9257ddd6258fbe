/**
 * Suggested case type from the words of the text (case-type-rules.json): each type's matched words add up,
 * the highest total wins, ties go by the configured order; with no word matched the fallback type is
 * suggested with no evidence.
 */
import rules from './case-type-rules.json';
import type { TriageLanguage } from './detect-language';

export const CASE_TYPES = ['RETURN', 'EXCHANGE', 'REFUND', 'REPAIR', 'WARRANTY', 'TECH_SUPPORT', 'COMPLAINT'] as const;
export type SuggestedCaseType = (typeof CASE_TYPES)[number];

export interface CaseTypeSuggestion {
  type: SuggestedCaseType;
  /** Share of the winning total among all totals, 0..1 (0 when nothing matched). */
  confidence: number;
  /** The words that voted for the suggested type. */
  evidence: string[];
}

type Weights = Record<string, number>;
const ORDER = rules.order as SuggestedCaseType[];
const TYPES = rules.types as Record<SuggestedCaseType, { zh: Weights; en: Weights }>;

function englishHit(text: string, phrase: string): boolean {
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    const before = text[at - 1];
    const after = text[at + phrase.length];
    if (!(before && /[a-z0-9]/u.test(before)) && !(after && /[a-z0-9]/u.test(after))) return true;
  }
  return false;
}

/** Suggests a case type for normalised text. Chinese texts also match the English words (brand and tech terms). */
export function suggestCaseType(normalised: string, language: TriageLanguage): CaseTypeSuggestion {
  const totals = new Map<SuggestedCaseType, { total: number; words: string[] }>();
  for (const type of ORDER) {
    const words: string[] = [];
    let total = 0;
    const { zh, en } = TYPES[type];
    if (language === 'zh') {
      for (const [word, weight] of Object.entries(zh)) {
        if (normalised.includes(word)) {
          total += weight;
          words.push(word);
        }
      }
    }
    for (const [word, weight] of Object.entries(en)) {
      if (englishHit(normalised, word)) {
        total += weight;
        words.push(word);
      }
    }
    totals.set(type, { total, words });
  }
  let best: SuggestedCaseType = rules.fallback as SuggestedCaseType;
  let bestTotal = 0;
  let sum = 0;
  for (const type of ORDER) {
    const { total } = totals.get(type)!;
    sum += total;
    if (total > bestTotal) {
      best = type;
      bestTotal = total;
    }
  }
  if (bestTotal === 0) return { type: best, confidence: 0, evidence: [] };
  return { type: best, confidence: Math.round((bestTotal / sum) * 1000) / 1000, evidence: totals.get(best)!.words };
}
