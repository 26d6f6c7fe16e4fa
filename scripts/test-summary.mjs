// Prints jest's totals as the plain closing line CI reads ("N passed, N failed"), and
// fails when jest ran no test at all, so an empty run can never pass for a green one.
import { readFileSync } from 'node:fs';

const results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const {
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: skipped,
  numTotalTests: total,
} = results;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (total === 0) {
  console.error('test-summary: jest ran no test');
  process.exit(1);
}
process.exit(failed > 0 || !results.success ? 1 : 0);
