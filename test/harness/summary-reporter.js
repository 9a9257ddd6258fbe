/**
 * A Jest reporter that writes the run's totals as JSON to the file named by TEST_SUMMARY_FILE (when set), so that
 * .ci/run can print its closing `Tests: N passed, N failed, N skipped` line from Jest's own figures.
 * A suite that fails to run at all (a compile error, a throw at load) counts as one failed test.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TEST_SUMMARY_FILE;
    if (!file) return;
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suites: { total: results.numTotalTestSuites, failed: results.numFailedTestSuites, runtimeErrors: results.numRuntimeErrorTestSuites },
      success: results.success,
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(summary)}\n`);
  }
}

module.exports = SummaryReporter;
