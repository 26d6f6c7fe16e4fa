/**
 * npm run fuzz:sim -- [--runs 400] [--seed 99]: random simulations (algorithm, 4-12 nodes,
 * loss up to 20 %, up to 5 joins, leaves and crashes, 30-60 virtual minutes) checked for
 * the invariant. Prints every conflict with the options that reproduce it; exits 1 if any.
 * Bounded by --runs; each run is a few hundred milliseconds.
 */
import { ALGORITHM_NAMES, SeededRandom } from '@meshmon/scheduling';
import { churnProblem, simulate, type ChurnEvent } from '@meshmon/simulation';

const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) {
    console.error(`fuzz-sim: ${name} must be an integer >= 0`);
    process.exit(2);
  }
  return value;
};

const runs = arg('--runs', 400);
const random = new SeededRandom(arg('--seed', 99));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)];

/** A valid churn list: joins of new or departed names, leaves and crashes of present ones. */
function randomChurn(nodes: number): ChurnEvent[] {
  const present = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const departed: string[] = [];
  const churn: ChurnEvent[] = [];
  let next = nodes + 1;
  let at = 0;
  for (let i = Math.floor(random.next() * 6); i > 0; i--) {
    at += 5 + Math.floor(random.next() * 400);
    if (random.next() < 0.4) {
      const node =
        departed.length > 0 && random.next() < 0.5 ? (departed.shift() as string) : `n${next++}`;
      present.push(node);
      churn.push({ action: 'join', node, atSeconds: at });
    } else if (present.length > 3) {
      const node = present.splice(Math.floor(random.next() * present.length), 1)[0];
      departed.push(node);
      churn.push({ action: random.next() < 0.5 ? 'leave' : 'crash', node, atSeconds: at });
    }
  }
  return churn;
}

let failures = 0;
for (let run = 0; run < runs; run++) {
  const nodes = 4 + Math.floor(random.next() * 9);
  const churn = randomChurn(nodes);
  const options = {
    algorithm: pick(ALGORITHM_NAMES),
    nodes,
    eventSeconds: 13.45,
    durationSeconds: 1800 + Math.floor(random.next() * 1800),
    seed: Math.floor(random.next() * 1e9),
    loss: random.next() * 0.2,
    churn,
  };
  const problem = churnProblem(
    churn,
    Array.from({ length: nodes }, (_, i) => `n${i + 1}`),
  );
  if (problem) throw new Error(`fuzz-sim generated an invalid churn list: ${problem}`);
  const result = simulate(options);
  if (result.conflicts > 0) {
    failures += 1;
    console.log(
      `conflict: ${JSON.stringify(options)} first: ${JSON.stringify(result.conflictReport.listed[0])}`,
    );
  }
}
console.log(`fuzz-sim: ${runs} runs, ${failures} with conflicts`);
process.exitCode = failures > 0 ? 1 : 0;
