/**
 * The cost of triage per opened case: the analyser (language, segmentation, sentiment, type, priority, regulator
 * mention) timed per text over every labelled text the repository keeps (libs/triage/eval/data, Chinese, English
 * and five more languages, short chat lines to long reviews), beside the raw baseline of normalising the same text,
 * the step every analysis starts with. Three warm-up passes, then each text timed `runs` times; the figure is the
 * p99 over every timed analysis, the machine's noise included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { normaliseText, TriageAnalyser } from '@aftersales/triage';
import { percentile } from './stats';

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export interface TriageCost {
  texts: number;
  runs: number;
  analysisMs: Spread;
  normaliseMs: Spread;
}

/** Percentiles in milliseconds to the microsecond: a normalisation takes a few of them. */
function spread(samplesMs: number[]): Spread {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

/** Every text of the labelled sets (each line a JSON object with `text`). */
export function labelledTexts(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(dataDir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => String((JSON.parse(line) as { text: unknown }).text)),
    );
}

function timeEach(texts: string[], runs: number, work: (text: string) => unknown): number[] {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    for (const text of texts) {
      const started = performance.now();
      work(text);
      samples.push(performance.now() - started);
    }
  }
  return samples;
}

export function triageCost(dataDir: string, runs: number): TriageCost {
  const texts = labelledTexts(dataDir);
  const analyser = new TriageAnalyser();
  const analyse = (text: string) => analyser.analyse({ text });
  timeEach(texts, 3, analyse); // warm-up: the segmenter's dictionary, the models, the JIT
  timeEach(texts, 3, normaliseText);
  return { texts: texts.length, runs, analysisMs: spread(timeEach(texts, runs, analyse)), normaliseMs: spread(timeEach(texts, runs, normaliseText)) };
}
