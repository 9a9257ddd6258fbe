/** Classification metrics for the triage evaluation: accuracy, per-label precision / recall / F1, macro averages. */

export interface LabelScores {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  perLabel: LabelScores[];
}

const r4 = (x: number): number => Math.round(x * 10000) / 10000;
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Macro averages run over the gold labels (a label predicted but never gold does not dilute them). */
export function classificationReport(pairs: ReadonlyArray<{ gold: string; predicted: string }>): ClassificationReport {
  const labels = [...new Set(pairs.map((p) => p.gold))].sort();
  const perLabel = labels.map((label) => {
    const tp = pairs.filter((p) => p.gold === label && p.predicted === label).length;
    const predicted = pairs.filter((p) => p.predicted === label).length;
    const support = pairs.filter((p) => p.gold === label).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { label, support, precision: r4(precision), recall: r4(recall), f1: r4(ratio(2 * precision * recall, precision + recall)) };
  });
  const mean = (xs: number[]) => r4(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
  return {
    n: pairs.length,
    accuracy: r4(ratio(pairs.filter((p) => p.gold === p.predicted).length, pairs.length)),
    macroPrecision: mean(perLabel.map((l) => l.precision)),
    macroRecall: mean(perLabel.map((l) => l.recall)),
    macroF1: mean(perLabel.map((l) => l.f1)),
    perLabel,
  };
}

export interface DetectionReport {
  n: number;
  positives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export function detectionReport(pairs: ReadonlyArray<{ gold: boolean; predicted: boolean }>): DetectionReport {
  const tp = pairs.filter((p) => p.gold && p.predicted).length;
  const fp = pairs.filter((p) => !p.gold && p.predicted).length;
  const fn = pairs.filter((p) => p.gold && !p.predicted).length;
  return {
    n: pairs.length,
    positives: pairs.filter((p) => p.gold).length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: r4(ratio(tp, tp + fp)),
    recall: r4(ratio(tp, tp + fn)),
  };
}

export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const index = Math.min(sortedAscending.length - 1, Math.ceil((p / 100) * sortedAscending.length) - 1);
  return sortedAscending[Math.max(0, index)];
}
