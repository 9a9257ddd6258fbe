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
  regulatorModel: join(root, 'libs/triage/src/regulator-model.json'),
  regulatorHeldOut: join(root, 'libs/triage/eval/data/regulator-heldout.jsonl'),
  qualityMarkdown: join(root, 'docs/triage-quality.md'),
  qualityJson: join(root, 'docs/triage-quality.json'),
});
