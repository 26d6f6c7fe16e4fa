import { firstAttemptFailures, firstLine, slowestFiles, type JestResults } from './jest-report.js';

const file = (
  name: string,
  seconds: number,
  tests: JestResults['testResults'][number]['assertionResults'],
  status = 'passed',
  message = '',
) => ({
  name: `/repo/${name}`,
  status,
  message,
  startTime: 0,
  endTime: seconds * 1000,
  assertionResults: tests,
});

const results = (testResults: JestResults['testResults']): JestResults => ({
  success: false,
  numPassedTests: 0,
  numFailedTests: 0,
  numPendingTests: 0,
  numTotalTests: 0,
  testResults,
});

describe('jest report', () => {
  it('jest report - names failed tests with the first line of their message, and files that did not run', () => {
    const report = results([
      file('a.spec.ts', 1, [
        { fullName: 'A passes', status: 'passed' },
        {
          fullName: 'A fails',
          status: 'failed',
          failureMessages: [
            '\u001b[31mError: expect(received).toBe(expected)\u001b[39m\n\nExpected: 1\n    at x',
          ],
        },
      ]),
      file(
        'b.spec.ts',
        1,
        [],
        'failed',
        '  ● Test suite failed to run\n\n    Cannot find module x',
      ),
    ]);

    expect(firstAttemptFailures(report, '/repo')).toEqual([
      {
        test: 'a.spec.ts > A fails',
        outcome: 'failed',
        why: 'Error: expect(received).toBe(expected)',
      },
      { test: 'b.spec.ts', outcome: 'did not run', why: 'Cannot find module x' },
    ]);
  });

  it('jest report - a test that passed only at a later attempt is still named', () => {
    const report = results([
      file('a.spec.ts', 1, [
        {
          fullName: 'A flaky',
          status: 'passed',
          invocations: 2,
          retryReasons: ['Error: timed out'],
        },
        { fullName: 'A steady', status: 'passed', invocations: 1 },
      ]),
    ]);

    expect(firstAttemptFailures(report, '/repo')).toEqual([
      { test: 'a.spec.ts > A flaky', outcome: 'passed at attempt 2', why: 'Error: timed out' },
    ]);
  });

  it('jest report - slowest files first, as many as asked', () => {
    const report = results([
      file('fast.spec.ts', 1, []),
      file('slow.spec.ts', 30, []),
      file('mid.spec.ts', 5, []),
    ]);

    expect(slowestFiles(report, '/repo', 2)).toEqual([
      { file: 'slow.spec.ts', seconds: 30 },
      { file: 'mid.spec.ts', seconds: 5 },
    ]);
  });

  it('jest report - firstLine skips headings and blank lines', () => {
    expect(firstLine('\n  ● Suite > test\n\n  Expected 1\n')).toBe('Expected 1');
    expect(firstLine('')).toBe('');
  });
});
