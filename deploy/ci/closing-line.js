#!/usr/bin/env node
/**
 * Prints the closing line of a CI run: `Tests: N passed, N failed, N skipped`.
 * Usage: closing-line.js <jest-summary.json> <test-command-exit-code> <checks-passed> <checks-failed>
 * The figures are Jest's own (test/harness/summary-reporter.js) plus the deploy checks .ci/run runs after the
 * tests, each counted as one test. When the test command failed before Jest could write its summary (install or
 * build broke), that failure counts as one failed test, so the line never reads as a clean run.
 */
const { existsSync, readFileSync } = require('node:fs');

const [file, testExit, checksPassed, checksFailed] = process.argv.slice(2);
let passed = Number(checksPassed) || 0;
let failed = Number(checksFailed) || 0;
let skipped = 0;
if (file && existsSync(file)) {
  const summary = JSON.parse(readFileSync(file, 'utf8'));
  passed += summary.passed;
  failed += summary.failed;
  skipped += summary.skipped;
  if (!summary.success && summary.failed === 0 && Number(testExit) !== 0) failed += 1;
} else {
  failed += 1;
}
process.stdout.write(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
