/**
 * The bench's report: every figure beside its raw baseline and its goal, marked met or missed, printed as a table
 * and written (JSON with the raw measurements, and the same table as Markdown) to docs/performance/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  figure: string;
  measured: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** undefined: informative only, no goal to meet. */
  met?: boolean;
}

const HEAD = ['figure', 'measured', 'raw baseline', 'ratio / check', 'goal', 'met?'];
const cells = (f: Figure) => [f.figure, f.measured, f.baseline, f.ratio, f.goal, f.met === undefined ? '' : f.met ? 'met' : 'MISSED'];

export function table(figures: Figure[]): string {
  const rows = [HEAD, ...figures.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(HEAD), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...figures.map((f) => line(cells(f)))].join('\n');
}

/** Writes `<dir>/<stamp>-<mode>.json` and `.md`; answers the JSON file's path. */
export function writeReport(dir: string, mode: string, results: Record<string, unknown>, figures: Figure[]): string {
  mkdirSync(dir, { recursive: true });
  const stamp = String(results.startedAt).replace(/[:.]/g, '-');
  const base = join(dir, `${stamp}-${mode}`);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...results, figures }, null, 2)}\n`);
  const met = figures.filter((f) => f.met === true).length;
  const missed = figures.filter((f) => f.met === false).length;
  writeFileSync(
    `${base}.md`,
    `# Bench ${mode} run, ${String(results.startedAt)}\n\n${table(figures)}\n\n${met} met, ${missed} missed. Raw measurements: ${stamp}-${mode}.json\n`,
  );
  return `${base}.json`;
}

export const pct = (a: number, b: number) => Math.round((a / b) * 1000) / 10;
export const n = (v: number) => v.toLocaleString('en-GB');
