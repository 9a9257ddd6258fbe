/**
 * A Jest reporter that writes the run's totals as JSON to the file named by TEST_SUMMARY_FILE (when set), so that
 * .ci/run can print its closing `Tests: N passed, N failed, N skipped` line from Jest's own figures, name what
 * failed just above it, and rerun the files that failed once (deploy/ci/closing-line.js).
 * A suite that fails to run at all (a compile error, a throw at load) counts as one failed test.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, relative } = require('node:path');

/** The first three lines of a failure (colours removed), enough to tell one failure from another at the end of a log. */
const firstLine = (text) =>
  (text ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex -- colour codes
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '))
    .slice(0, 3)
    .join(' / ')
    .slice(0, 400);

function fileSummary(rootDir, result) {
  const runtimeError = result.testExecError ? 1 : 0;
  return {
    file: relative(rootDir, result.testFilePath),
    passed: result.numPassingTests,
    failed: result.numFailingTests + runtimeError,
    skipped: result.numPendingTests + result.numTodoTests,
    failures: [
      ...(runtimeError ? [{ test: '(the suite did not run)', message: firstLine(result.testExecError.message) }] : []),
      ...result.testResults
        .filter((test) => test.status === 'failed')
        .map((test) => ({ test: test.fullName, message: firstLine(test.failureMessages.join('\n')) })),
    ],
  };
}

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const file = process.env.TEST_SUMMARY_FILE;
    if (!file) return;
    const files = results.testResults.map((result) => fileSummary(this.rootDir, result));
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suites: { total: results.numTotalTestSuites, failed: results.numFailedTestSuites, runtimeErrors: results.numRuntimeErrorTestSuites },
      success: results.success,
      files: files.filter((entry) => entry.failed > 0),
      ranFiles: files.map((entry) => entry.file),
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(summary)}\n`);
  }
}

module.exports = SummaryReporter;
