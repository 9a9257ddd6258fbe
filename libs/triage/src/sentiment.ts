/**
 * Sentiment of a case text: NEGATIVE, NEUTRAL or POSITIVE with a score in [-1, 1]. Chinese text is scored by
 * the trained model (sentiment-model.zh.json); English by the after-sales lexicon (sentiment-lexicon.en.json)
 * with negation flipping a word's weight. The features that weighed most are the evidence.
 */
import lexicon from './sentiment-lexicon.en.json';
import modelFile from './sentiment-model.zh.json';
import type { TriageLanguage } from './detect-language';
import { markedWords, sentimentFeatures } from './sentiment-features';
import { segmentEnglish } from './segment-words';
import { SentimentModel, type FeatureContribution, type SentimentModelFile } from './sentiment-model';

export type SentimentLabel = 'NEGATIVE' | 'NEUTRAL' | 'POSITIVE';

export interface SentimentResult {
  label: SentimentLabel;
  /** -1 (most negative) .. 1 (most positive). */
  score: number;
  /** The words and bigrams that weighed most, with their weights. */
  evidence: FeatureContribution[];
}

const EVIDENCE_SIZE = 6;
/** Chinese: log-odds within this band, or no known feature at all, is NEUTRAL. */
const ZH_NEUTRAL_LOG_ODDS = 0.2;
/** English: a lexicon sum within this band is NEUTRAL. */
const EN_NEUTRAL_SUM = 1;
const NEGATION_FACTOR = 0.8;

const round = (x: number): number => Math.round(x * 1000) / 1000;

let model: SentimentModel | undefined;
const zhModel = (): SentimentModel => (model ??= new SentimentModel(modelFile as SentimentModelFile));
const enWeights = new Map<string, number>(Object.entries(lexicon.weights));

function labelOf(value: number, band: number): SentimentLabel {
  if (value >= band) return 'POSITIVE';
  if (value <= -band) return 'NEGATIVE';
  return 'NEUTRAL';
}

function chineseSentiment(features: string[]): SentimentResult {
  const { logOdds, contributions } = zhModel().score(features);
  const label = contributions.length === 0 ? 'NEUTRAL' : labelOf(logOdds, ZH_NEUTRAL_LOG_ODDS);
  return { label, score: round(Math.tanh(logOdds / 2)), evidence: contributions.slice(0, EVIDENCE_SIZE) };
}

function englishWeight(feature: string): number | undefined {
  if (!feature.includes(' ') && feature.startsWith('not_')) {
    const w = enWeights.get(feature.slice(4));
    return w === undefined ? undefined : -NEGATION_FACTOR * w;
  }
  return enWeights.get(feature);
}

function englishSentiment(features: string[]): SentimentResult {
  const contributions: FeatureContribution[] = [];
  let sum = 0;
  for (const feature of features) {
    const weight = englishWeight(feature);
    if (weight === undefined) continue;
    sum += weight;
    contributions.push({ feature, weight: round(weight) });
  }
  contributions.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1));
  return { label: labelOf(sum, EN_NEUTRAL_SUM), score: round(Math.tanh(sum / 4)), evidence: contributions.slice(0, EVIDENCE_SIZE) };
}

/** Sentiment of normalised text in the given language. */
export function analyseSentiment(normalised: string, language: TriageLanguage): SentimentResult {
  if (language === 'zh') return chineseSentiment(sentimentFeatures(markedWords(normalised, 'zh')));
  // English: negation-marked words, and the plain bigrams so that phrases such as 'no response' are found.
  const plain = segmentEnglish(normalised).filter((w) => !/^[.!?;,]$/u.test(w));
  const bigrams = plain.slice(1).map((w, i) => `${plain[i]} ${w}`);
  return englishSentiment([...new Set([...markedWords(normalised, 'en'), ...bigrams])]);
}

/** Size of the loaded Chinese model's vocabulary. */
export function sentimentModelSize(): number {
  return zhModel().size;
}
