/**
 * The learned Chinese sentiment model: a linear model over word and bigram presence (logistic regression
 * with naive Bayes log-count ratios folded in, see training/train.ts), stored as log-odds weights (positive
 * over negative) for a pruned vocabulary plus a bias. Scoring sums the weights of the
 * features present; the largest contributions are the evidence.
 */

export interface SentimentModelFile {
  format: 'linear-log-odds-1';
  language: 'zh';
  corpus: string;
  licence: string;
  trainedTexts: number;
  method: string;
  bias: number;
  features: string[];
  weights: number[];
}

export interface FeatureContribution {
  feature: string;
  weight: number;
}

export interface SentimentModelScore {
  /** Log-odds of positive over negative. */
  logOdds: number;
  /** Features of the text the model knows, strongest first. */
  contributions: FeatureContribution[];
}

export class SentimentModel {
  private readonly weights = new Map<string, number>();

  constructor(readonly file: SentimentModelFile) {
    if (file.format !== 'linear-log-odds-1' || file.features.length !== file.weights.length) {
      throw new Error('the sentiment model file is not a linear-log-odds-1 model with one weight per feature');
    }
    file.features.forEach((f, i) => this.weights.set(f, file.weights[i]));
  }

  get size(): number {
    return this.weights.size;
  }

  score(features: readonly string[]): SentimentModelScore {
    let logOdds = this.file.bias;
    const contributions: FeatureContribution[] = [];
    for (const feature of features) {
      const weight = this.weights.get(feature);
      if (weight === undefined) continue;
      logOdds += weight;
      contributions.push({ feature, weight });
    }
    contributions.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1));
    return { logOdds, contributions };
  }
}
