/**
 * Suggested priority from the other triage findings and the text's words (priority-rules.json):
 * URGENT for a regulator mention or a safety hazard; HIGH for a repeat complaint, strongly negative
 * sentiment, an urgent request or a negative complaint; LOW for a positive text or a calm how-to question;
 * NORMAL otherwise. Every reason that applied is the evidence.
 */
import rules from './priority-rules.json';
import type { TriageLanguage } from './detect-language';
import type { RegulatorMention } from './regulator-mention';
import type { RepeatComplaint } from './repeat-complaint';
import type { SentimentResult } from './sentiment';
import type { CaseTypeSuggestion } from './suggest-case-type';

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export type SuggestedPriority = (typeof PRIORITIES)[number];

export interface PrioritySuggestion {
  priority: SuggestedPriority;
  evidence: string[];
}

/** Sentiment at or below this score is strongly negative. */
const STRONGLY_NEGATIVE = -0.6;

function wordsFound(normalised: string, language: TriageLanguage, list: { zh: string[]; en: string[] }): string[] {
  const found = language === 'zh' ? list.zh.filter((w) => normalised.includes(w)) : [];
  for (const phrase of list.en) {
    const re = new RegExp(`(^|[^a-z0-9])${phrase.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}($|[^a-z0-9])`, 'u');
    if (re.test(normalised)) found.push(phrase);
  }
  return found;
}

export function suggestPriority(
  normalised: string,
  language: TriageLanguage,
  findings: { sentiment: SentimentResult; type: CaseTypeSuggestion; regulator: RegulatorMention; repeat: RepeatComplaint },
): PrioritySuggestion {
  const { sentiment, type, regulator, repeat } = findings;
  const urgent: string[] = [];
  if (regulator.mentioned) urgent.push(`regulator mention: ${regulator.terms.join(', ')}`);
  const safety = wordsFound(normalised, language, rules.safety);
  if (safety.length) urgent.push(`safety hazard: ${safety.join(', ')}`);
  if (urgent.length) return { priority: 'URGENT', evidence: urgent };

  const high: string[] = [];
  if (repeat.repeat) high.push(`repeat complaint: earlier case ${repeat.priorCaseIds.join(', ')}`);
  if (sentiment.label === 'NEGATIVE' && sentiment.score <= STRONGLY_NEGATIVE) high.push(`strongly negative sentiment (${sentiment.score})`);
  const urgency = wordsFound(normalised, language, rules.urgency);
  if (urgency.length) high.push(`urgent request: ${urgency.join(', ')}`);
  if (type.type === 'COMPLAINT' && type.confidence > 0 && sentiment.label === 'NEGATIVE') high.push('negative complaint');
  if (high.length) return { priority: 'HIGH', evidence: high };

  if (sentiment.label === 'POSITIVE') return { priority: 'LOW', evidence: [`positive sentiment (${sentiment.score})`] };
  if (type.type === 'TECH_SUPPORT' && sentiment.label === 'NEUTRAL') return { priority: 'LOW', evidence: ['neutral how-to question'] };
  return { priority: 'NORMAL', evidence: ['no reason to raise or lower the priority'] };
}
