// Prints jest's totals as the plain closing line CI reads ("tests: N passed, N failed"), and
// fails when jest ran no test at all, so an empty run can never pass for a green one. Above
// it: every test that failed at its first attempt, by name, so a failure seen once in many
// runs is on record; and the slowest test files, where the run's time goes.
import { readFileSync } from 'node:fs';
import { firstAttemptFailures, slowestFiles, type JestResults } from './testing/jest-report.js';

const SLOWEST = 8;
const results = JSON.parse(readFileSync(process.argv[2], 'utf8')) as JestResults;
const root = process.cwd();

const failures = firstAttemptFailures(results, root);
if (failures.length > 0) {
  console.log(`failed at the first attempt (${failures.length}):`);
  for (const { test, outcome, why } of failures) console.log(`  ${test} (${outcome}): ${why}`);
}
const slowest = slowestFiles(results, root, SLOWEST)
  .map(({ file, seconds }) => `${file} ${seconds.toFixed(1)} s`)
  .join(', ');
console.log(`slowest files: ${slowest}`);
const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (results.numTotalTests === 0) {
  console.error('test-summary: jest ran no test');
  process.exit(1);
}
process.exit(failed > 0 || !results.success ? 1 : 0);
