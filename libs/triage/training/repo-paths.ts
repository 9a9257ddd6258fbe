/** Paths of the triage library's data files, found from the repository root whether run from source or dist. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${from}`);
    dir = parent;
  }
  return dir;
}

export const triagePaths = (root = repoRoot()) => ({
  sentimentModel: join(root, 'libs/triage/src/sentiment-model.zh.json'),
  zhHeldOut: join(root, 'libs/triage/eval/data/zh-reviews-heldout.jsonl'),
  enAfterSales: join(root, 'libs/triage/eval/data/en-after-sales.jsonl'),
  regulatorSet: join(root, 'libs/triage/eval/data/regulator-mentions.jsonl'),
  regulatorDev: join(root, 'libs/triage/eval/data/regulator-dev.jsonl'),
  regulatorDev2: join(root, 'libs/triage/eval/data/regulator-dev-2.jsonl'),
  /** The blind set of rounds 1 to 3, read too often to stay blind: development text since triage-1.3.0. */
  regulatorDev3: join(root, 'libs/triage/eval/data/regulator-dev-3.jsonl'),
  regulatorDev4: join(root, 'libs/triage/eval/data/regulator-dev-4.jsonl'),
  /** The blind set of round 4, read for its figures: development text since triage-1.4.0. */
  regulatorDev5: join(root, 'libs/triage/eval/data/regulator-dev-5.jsonl'),
  regulatorDev6: join(root, 'libs/triage/eval/data/regulator-dev-6.jsonl'),
  regulatorDev7: join(root, 'libs/triage/eval/data/regulator-dev-7.jsonl'),
  regulatorModel: join(root, 'libs/triage/src/regulator-model.json'),
  /** The blind regulator set: never read by the training, measured once per round by the eval. */
  regulatorHeldOut: join(root, 'libs/triage/eval/data/regulator-heldout.jsonl'),
  qualityMarkdown: join(root, 'docs/triage-quality.md'),
  qualityJson: join(root, 'docs/triage-quality.json'),
});

/** The regulator development sets the training reads (never the blind set), by name. */
export const regulatorDevelopmentSets = (paths = triagePaths()): Array<{ name: string; path: string }> => [
  { name: 'regulator-mentions', path: paths.regulatorSet },
  { name: 'regulator-dev', path: paths.regulatorDev },
  { name: 'regulator-dev-2', path: paths.regulatorDev2 },
  { name: 'regulator-dev-3', path: paths.regulatorDev3 },
  { name: 'regulator-dev-4', path: paths.regulatorDev4 },
  { name: 'regulator-dev-5', path: paths.regulatorDev5 },
  { name: 'regulator-dev-6', path: paths.regulatorDev6 },
  { name: 'regulator-dev-7', path: paths.regulatorDev7 },
  { name: 'en-after-sales', path: paths.enAfterSales },
];
