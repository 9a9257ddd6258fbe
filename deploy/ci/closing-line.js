#!/usr/bin/env node
/**
 * The closing of a CI run (.ci/run).
 *
 *   closing-line.js failed-files --summary <jest-summary.json>
 *     prints the test files that failed, one per line (at most --limit, default 5; nothing when more failed, since
 *     a rerun is for a test that failed once, not for a broken run).
 *   closing-line.js details --summary <f> [--rerun <f>] --failed-checks <file>
 *     names what failed: every failed test with the first line of its message, every failed check, and every test
 *     file that failed and then passed when rerun on its own ("flaky"), so the end of the log says what to look at.
 *   closing-line.js line --summary <f> [--rerun <f>] --test-exit <n> --checks-passed <n> --checks-failed <n>
 *     prints `Tests: N passed, N failed, N skipped`: Jest's figures (test/harness/summary-reporter.js), where a file
 *     was rerun its rerun's figures instead of its first run's, plus the deploy checks, each counted as one test.
 *     When the test command failed before Jest could write its summary (install or build broke), that failure
 *     counts as one failed test, so the line never reads as a clean run.
 */
const { existsSync, readFileSync } = require('node:fs');
const { parseArgs } = require('node:util');

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    summary: { type: 'string' },
    rerun: { type: 'string' },
    'failed-checks': { type: 'string' },
    'test-exit': { type: 'string', default: '0' },
    'checks-passed': { type: 'string', default: '0' },
    'checks-failed': { type: 'string', default: '0' },
    limit: { type: 'string', default: '5' },
  },
});

const readJson = (file) => (file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined);
const first = readJson(values.summary);
const rerun = readJson(values.rerun);
const rerunFiles = new Set((rerun?.files ?? []).map((entry) => entry.file));
const rerunRan = (file) => Boolean(rerun) && (rerun.ranFiles ?? []).includes(file);

function failedFiles() {
  const files = (first?.files ?? []).map((entry) => entry.file);
  return files.length > 0 && files.length <= Number(values.limit) ? files : [];
}

function totals() {
  let passed = Number(values['checks-passed']) || 0;
  let failed = Number(values['checks-failed']) || 0;
  let skipped = 0;
  if (!first) return { passed, failed: failed + 1, skipped };
  passed += first.passed;
  failed += first.failed;
  skipped += first.skipped;
  if (rerun) {
    for (const entry of first.files.filter((e) => rerunRan(e.file))) {
      passed -= entry.passed;
      failed -= entry.failed;
      skipped -= entry.skipped;
    }
    passed += rerun.passed;
    failed += rerun.failed;
    skipped += rerun.skipped;
  }
  const stillFailing = rerun ? first.files.some((e) => !rerunRan(e.file)) || !rerun.success : !first.success;
  if (stillFailing && failed === 0 && Number(values['test-exit']) !== 0) failed += 1;
  return { passed, failed, skipped };
}

function details() {
  const lines = [];
  const failedChecks =
    values['failed-checks'] && existsSync(values['failed-checks']) ? readFileSync(values['failed-checks'], 'utf8').split('\n').filter(Boolean) : [];
  if (!first) lines.push('ci: failed: the test command wrote no summary (install or build failed; see above)');
  for (const entry of first?.files ?? []) {
    const flaky = rerunRan(entry.file) && !rerunFiles.has(entry.file);
    for (const failure of entry.failures) {
      lines.push(`ci: ${flaky ? 'flaky (failed, then passed when rerun on its own)' : 'failed'}: ${entry.file} › ${failure.test} — ${failure.message}`);
    }
  }
  for (const entry of rerun?.files ?? []) {
    for (const failure of entry.failures) lines.push(`ci: failed again on the rerun: ${entry.file} › ${failure.test} — ${failure.message}`);
  }
  for (const check of failedChecks) lines.push(`ci: failed check: ${check}`);
  return lines;
}

const mode = positionals[0];
if (mode === 'failed-files') {
  for (const file of failedFiles()) process.stdout.write(`${file}\n`);
} else if (mode === 'details') {
  for (const line of details()) process.stdout.write(`${line}\n`);
} else if (mode === 'line') {
  const { passed, failed, skipped } = totals();
  process.stdout.write(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
} else {
  process.stderr.write('usage: closing-line.js failed-files|details|line --summary <file> …\n');
  process.exit(64);
}
