/**
 * The triage analyser: one text (a case's reason and description, Chinese or English) in, every triage
 * finding out — language, sentiment, suggested type and priority, regulator mention, repeat complaint —
 * each with the evidence that drove it, stamped with TRIAGE_ANALYSER_VERSION. Deterministic: the same input
 * and configuration always give the same answer.
 */
import { detectLanguage, type TriageLanguage } from './detect-language';
import { normaliseText } from './normalise-text';
import {
  DEFAULT_REGULATOR_CONFIG,
  detectRegulatorMention,
  regulatorConfigWith,
  type RegulatorConfig,
  type RegulatorConfigOverride,
  type RegulatorMatch,
} from './regulator-mention';
import { detectRepeatComplaint, type PriorCase } from './repeat-complaint';
import { analyseSentiment, type SentimentLabel } from './sentiment';
import type { FeatureContribution } from './sentiment-model';
import { suggestCaseType, type SuggestedCaseType } from './suggest-case-type';
import { suggestPriority, type SuggestedPriority } from './suggest-priority';
import { TRIAGE_ANALYSER_VERSION } from './triage-analyser-version';

/** Longer texts are analysed up to this many characters (and say so), which bounds the time per analysis. */
export const MAX_ANALYSED_CHARS = 10000;

export interface TriageInput {
  text: string;
  caseId?: string;
  customerId?: string;
  orderId?: string;
  /** Cases the caller knows of, for repeat-complaint detection. */
  priorCases?: readonly PriorCase[];
}

export interface Triage {
  analyserVersion: string;
  language: TriageLanguage;
  truncated: boolean;
  sentiment: { label: SentimentLabel; score: number; evidence: FeatureContribution[] };
  suggestedType: { type: SuggestedCaseType; confidence: number; evidence: string[] };
  suggestedPriority: { priority: SuggestedPriority; evidence: string[] };
  regulatorMention: { mentioned: boolean; terms: string[]; evidence: RegulatorMatch[] };
  repeatComplaint: { repeat: boolean; priorCaseIds: string[] };
}

export interface TriageAnalyserOptions {
  regulator?: RegulatorConfigOverride;
}

export class TriageAnalyser {
  readonly version = TRIAGE_ANALYSER_VERSION;
  private readonly regulatorConfig: RegulatorConfig;

  constructor(options: TriageAnalyserOptions = {}) {
    this.regulatorConfig = regulatorConfigWith(options.regulator ?? {}, DEFAULT_REGULATOR_CONFIG);
  }

  /** Whether a text (a customer's message) mentions a regulator, by the same configured terms as `analyse`. */
  mentionsRegulator(text: string): boolean {
    const bounded = text.length > MAX_ANALYSED_CHARS ? text.slice(0, MAX_ANALYSED_CHARS) : text;
    return detectRegulatorMention(normaliseText(bounded), this.regulatorConfig).mentioned;
  }

  analyse(input: TriageInput): Triage {
    const truncated = input.text.length > MAX_ANALYSED_CHARS;
    const text = normaliseText(truncated ? input.text.slice(0, MAX_ANALYSED_CHARS) : input.text);
    const { language } = detectLanguage(text);
    const sentiment = analyseSentiment(text, language);
    const type = suggestCaseType(text, language);
    const regulator = detectRegulatorMention(text, this.regulatorConfig);
    const repeat = detectRepeatComplaint(input, input.priorCases);
    const priority = suggestPriority(text, language, { sentiment, type, regulator, repeat });
    return {
      analyserVersion: TRIAGE_ANALYSER_VERSION,
      language,
      truncated,
      sentiment,
      suggestedType: type,
      suggestedPriority: priority,
      regulatorMention: { mentioned: regulator.mentioned, terms: regulator.terms, evidence: regulator.matches },
      repeatComplaint: repeat,
    };
  }
}
