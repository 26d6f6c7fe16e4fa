/**
 * What an end-to-end test prints: a command-line program's report, line by line, each
 * prefixed with the test's name (`swarm-e2e: ...`), the figures it measured, and the
 * failure it stops with. One test per process, so the name is set once by its entry.
 */
export const MINUTE = 60_000;
export const minutes = (ms: number): string => `${ms / MINUTE} minute${ms === MINUTE ? '' : 's'}`;

/** "12.3" seconds between two Date.now() values. */
export const secondsBetween = (fromMs: number, toMs: number): string =>
  ((toMs - fromMs) / 1000).toFixed(1);

/** A check that did not hold; its message is the summary line's reason. */
export class E2eFailure extends Error {
  override readonly name = 'E2eFailure';
}

let testName = 'e2e';

/** Names the test in every line it prints (`swarm-e2e`, `k8s-e2e`). */
export function reportAs(name: string): void {
  testName = name;
}

export const say = (line: string): void => void process.stdout.write(`${testName}: ${line}\n`);
export const sayError = (text: string): void => void process.stderr.write(`${text}\n`);

/** The figures measured so far, for the summary line. */
export const figures: string[] = [];
export function figure(name: string, value: string): void {
  figures.push(`${name} ${value}`);
  say(`${name}: ${value}`);
}
