/**
 * The regulator context model: logistic regression over a candidate's context features (regulator-context.ts),
 * trained offline by training/train-regulator.ts on the development sets and checked in as regulator-model.json.
 * It answers the probability that the candidate term is an escalation threat.
 */
import modelFile from './regulator-model.json';

export interface RegulatorModelFile {
  version: string;
  bias: number;
  threshold: number;
  weights: Record<string, number>;
}

export class RegulatorContextModel {
  private readonly weights: Map<string, number>;

  constructor(readonly file: RegulatorModelFile) {
    this.weights = new Map(Object.entries(file.weights));
  }

  probability(features: readonly string[]): number {
    let z = this.file.bias;
    for (const f of features) z += this.weights.get(f) ?? 0;
    return 1 / (1 + Math.exp(-z));
  }

  isThreat(features: readonly string[]): boolean {
    return this.probability(features) >= this.file.threshold;
  }
}

export const DEFAULT_REGULATOR_MODEL = new RegulatorContextModel(modelFile);
