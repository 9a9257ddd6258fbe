/** The closing of a CI run (deploy/ci/closing-line.js): the `Tests:` line, what failed, and the rerun of a failed file. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '../../deploy/ci/closing-line.js');
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'closing-line-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, value: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};
const run = (...args: string[]): string => execFileSync('node', [script, ...args], { encoding: 'utf8' });

const flakyFile = {
  file: 'libs/x/test/a.spec.ts',
  passed: 3,
  failed: 1,
  skipped: 0,
  failures: [{ test: 'a › races', message: 'expected 1, received 2' }],
};
const firstRun = { passed: 100, failed: 1, skipped: 5, success: false, files: [flakyFile], ranFiles: ['libs/x/test/a.spec.ts', 'libs/y/test/b.spec.ts'] };

describe('the closing line of a CI run', () => {
  it('adds the checks to Jest figures', () => {
    const summary = write('s.json', { ...firstRun, failed: 0, success: true, files: [] });
    expect(run('line', '--summary', summary, '--checks-passed', '5', '--checks-failed', '1')).toBe('Tests: 105 passed, 1 failed, 5 skipped\n');
  });

  it('counts a file rerun on its own by its rerun, and names it flaky when it then passed', () => {
    const summary = write('s.json', firstRun);
    const rerun = write('r.json', { passed: 4, failed: 0, skipped: 0, success: true, files: [], ranFiles: [flakyFile.file] });
    expect(run('line', '--summary', summary, '--rerun', rerun, '--test-exit', '0', '--checks-passed', '6')).toBe('Tests: 107 passed, 0 failed, 5 skipped\n');
    expect(run('details', '--summary', summary, '--rerun', rerun)).toBe(
      'ci: flaky (failed, then passed when rerun on its own): libs/x/test/a.spec.ts › a › races — expected 1, received 2\n',
    );
  });

  it('keeps a file that fails again as failed, and says so', () => {
    const summary = write('s.json', firstRun);
    const rerun = write('r.json', { passed: 3, failed: 1, skipped: 0, success: false, files: [flakyFile], ranFiles: [flakyFile.file] });
    expect(run('line', '--summary', summary, '--rerun', rerun, '--test-exit', '1')).toBe('Tests: 100 passed, 1 failed, 5 skipped\n');
    expect(run('details', '--summary', summary, '--rerun', rerun)).toContain('ci: failed again on the rerun: libs/x/test/a.spec.ts › a › races');
  });

  it('names the failed checks', () => {
    const summary = write('s.json', { ...firstRun, failed: 0, success: true, files: [] });
    const checks = join(dir, 'checks.txt');
    writeFileSync(checks, 'bash deploy/ci/api-contract.sh\n');
    expect(run('details', '--summary', summary, '--failed-checks', checks)).toBe('ci: failed check: bash deploy/ci/api-contract.sh\n');
  });

  it('never reads as clean when the tests wrote no summary', () => {
    expect(run('line', '--summary', join(dir, 'missing.json'), '--test-exit', '1', '--checks-passed', '2')).toBe('Tests: 2 passed, 1 failed, 0 skipped\n');
    expect(run('details', '--summary', join(dir, 'missing.json'))).toContain('wrote no summary');
  });

  it('reruns a few failed files, not a broken run', () => {
    expect(run('failed-files', '--summary', write('s.json', firstRun))).toBe('libs/x/test/a.spec.ts\n');
    const many = { ...firstRun, files: Array.from({ length: 6 }, (_, i) => ({ ...flakyFile, file: `f${i}.spec.ts` })) };
    expect(run('failed-files', '--summary', write('m.json', many))).toBe('');
  });
});
