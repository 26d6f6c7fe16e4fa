import { relative } from 'node:path';

/** The parts of jest's `--json` output that the summaries read. */
export interface JestResults {
  readonly success: boolean;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTotalTests: number;
  readonly testResults: readonly JestFileResult[];
}

export interface JestFileResult {
  readonly name: string;
  readonly status: 'passed' | 'failed' | string;
  readonly message: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly assertionResults: readonly JestTestResult[];
}

export interface JestTestResult {
  readonly fullName: string;
  readonly status: 'passed' | 'failed' | 'pending' | string;
  readonly failureMessages?: readonly string[];
  /** How often jest ran it: above 1 only with retries, when an earlier attempt failed. */
  readonly invocations?: number;
  readonly retryReasons?: readonly string[];
}

/** A test that did not pass at its first attempt, or a file that could not run at all. */
export interface FirstAttemptFailure {
  /** `<file> > <full test name>`, or the file alone when it did not run. */
  readonly test: string;
  readonly outcome: string;
  /** The first line of jest's message: the assertion or error that failed. */
  readonly why: string;
}

/**
 * Every test that failed at its first attempt, by name. Jest runs no retries here, so that
 * is every failed test; should retries ever be turned on, a test that passed only on a
 * later attempt is still named, because a test that fails only sometimes is a bug.
 */
export function firstAttemptFailures(results: JestResults, root: string): FirstAttemptFailure[] {
  const failures: FirstAttemptFailure[] = [];
  for (const file of results.testResults) {
    const name = relative(root, file.name);
    const failedFirst = file.assertionResults.filter(
      (test) => test.status === 'failed' || (test.invocations ?? 1) > 1,
    );
    for (const test of failedFirst) {
      failures.push({
        test: `${name} > ${test.fullName}`,
        outcome: test.status === 'failed' ? 'failed' : `passed at attempt ${test.invocations}`,
        why: firstLine(test.failureMessages?.[0] ?? test.retryReasons?.[0] ?? ''),
      });
    }
    if (file.status === 'failed' && failedFirst.length === 0) {
      failures.push({ test: name, outcome: 'did not run', why: firstLine(file.message) });
    }
  }
  return failures;
}

/** Test files by wall time, slowest first. */
export function slowestFiles(
  results: JestResults,
  root: string,
  count: number,
): { file: string; seconds: number }[] {
  return results.testResults
    .map((file) => ({
      file: relative(root, file.name),
      seconds: (file.endTime - file.startTime) / 1000,
    }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count);
}

/** Jest's messages carry ANSI colours, a heading and a stack; the first real line says what failed. */
export function firstLine(message: string): string {
  return (
    message
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0 && !line.startsWith('● ')) ?? ''
  );
}
