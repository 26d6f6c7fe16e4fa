// Runs the test command N times, each on a fresh clone of this checkout's HEAD (nothing
// left over from the run before: no node_modules, no dist, no .lab), and prints a table of
// the runs and of failures per test. A test that fails only sometimes shows up here with
// its count and the first line of each different reason.
//
//   npm run test:repeat -- --runs 5
//   npm run test:repeat -- --runs 3 --command "npm test"   # jest only, no Swarm deployment
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { firstAttemptFailures, type JestResults } from './testing/jest-report.js';

const USAGE = `usage: npm run test:repeat -- [--runs N] [--command "CMD"] [--logs DIR] [--keep]
  --runs N       how many clean-clone runs, 1-100 (default 5)
  --command CMD  what each run executes in its clone (default "bash scripts/test.sh",
                 the README's test command; "npm test" skips the Swarm deployment)
  --logs DIR     where each run's full output goes (default .tmp/repeat-<time>)
  --keep         keep the clones (default: each is removed after its run)
Each run stops the servers it started (infra/local/stop.sh), so every run begins, as CI
does, with nothing running that the test command did not start itself.`;

interface RunOutcome {
  readonly run: number;
  readonly seconds: number;
  readonly exitCode: number;
  readonly totals: string;
  readonly failures: { test: string; why: string }[];
}

function usageError(message: string): never {
  console.error(`repeat-tests: ${message}\n${USAGE}`);
  process.exit(2);
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        runs: { type: 'string', default: '5' },
        command: { type: 'string', default: 'bash scripts/test.sh' },
        logs: { type: 'string' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!/^\d+$/.test(parsed.runs) || Number(parsed.runs) < 1 || Number(parsed.runs) > 100) {
    usageError(`--runs: must be a whole number from 1 to 100 (got "${parsed.runs}")`);
  }
  if (parsed.command.trim() === '') usageError('--command: must not be empty');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    runs: Number(parsed.runs),
    command: parsed.command,
    logs: resolve(parsed.logs ?? join('.tmp', `repeat-${stamp}`)),
    keep: parsed.keep,
  };
}

/** Runs `command` in `cwd` with its output to `logFile` (and the closing lines to us). */
function runLogged(command: string, cwd: string, logFile: string): Promise<number> {
  return new Promise((done) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn('bash', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('close', (code, signal) => {
      log.end();
      done(code ?? (signal ? 128 : 1));
    });
  });
}

/** The end-to-end scripts of the test command: the name their lines start with, and how to run one. */
const END_TO_END = [
  ['swarm-e2e', 'npm run test:swarm'],
  ['compare-e2e', 'npm run test:compare'],
  ['k8s-e2e', 'npm run test:k8s'],
] as const;

function closingLines(logFile: string): string {
  const text = readFileSync(logFile, 'utf8');
  const tests = /^tests: .*$/m.exec(text)?.[0] ?? 'no "tests:" line';
  const scripts = END_TO_END.map(
    ([name]) => new RegExp(`^${name}: (PASS|FAIL|skipped)[^:]*`, 'm').exec(text)?.[0],
  ).filter((line): line is string => line !== undefined);
  return [tests, ...scripts].join('; ');
}

async function oneRun(run: number, settings: ReturnType<typeof options>): Promise<RunOutcome> {
  const clone = join(tmpdir(), `meshmon-repeat-${process.pid}-${run}`);
  rmSync(clone, { recursive: true, force: true });
  const logFile = join(settings.logs, `run-${run}.log`);
  const started = Date.now();
  let exitCode = await runLogged(`git clone --quiet "${process.cwd()}" "${clone}"`, '.', logFile);
  if (exitCode === 0) exitCode = await runLogged(settings.command, clone, logFile);
  const seconds = (Date.now() - started) / 1000;
  const resultsFile = join(clone, '.tmp', 'jest-results.json');
  const failures = existsSync(resultsFile)
    ? firstAttemptFailures(JSON.parse(readFileSync(resultsFile, 'utf8')) as JestResults, clone)
    : [];
  // The Swarm deployment and the comparison are no jest tests; a FAIL line names the step.
  const log = readFileSync(logFile, 'utf8');
  for (const [script, command] of END_TO_END) {
    const failure = new RegExp(`^${script}: FAIL.*$`, 'm').exec(log)?.[0];
    if (failure) failures.push({ test: command, outcome: 'failed', why: failure });
  }
  // What the run started (NATS, Redis, InfluxDB) lives in the clone's .infra: stop it
  // before the clone goes, so the next run starts from nothing, as CI does, and never
  // inherits servers whose data folder was deleted under them.
  if (existsSync(join(clone, 'infra', 'local', 'stop.sh'))) {
    await runLogged('bash infra/local/stop.sh', clone, logFile);
  }
  if (!settings.keep) rmSync(clone, { recursive: true, force: true });
  return { run, seconds, exitCode, totals: closingLines(logFile), failures };
}

function minutes(seconds: number): string {
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

async function main(): Promise<void> {
  const settings = options();
  mkdirSync(settings.logs, { recursive: true });
  console.log(
    `repeat-tests: ${settings.runs} runs of "${settings.command}", logs in ${settings.logs}`,
  );
  const outcomes: RunOutcome[] = [];
  for (let run = 1; run <= settings.runs; run += 1) {
    const outcome = await oneRun(run, settings);
    outcomes.push(outcome);
    console.log(
      `run ${run}: exit ${outcome.exitCode} in ${minutes(outcome.seconds)}: ${outcome.totals}`,
    );
  }

  console.log('\n| run | time | exit | result |\n|---|---|---|---|');
  for (const { run, seconds, exitCode, totals } of outcomes) {
    console.log(`| ${run} | ${minutes(seconds)} | ${exitCode} | ${totals} |`);
  }
  const perTest = new Map<string, { count: number; reasons: Set<string> }>();
  for (const outcome of outcomes) {
    for (const { test, why } of outcome.failures) {
      const entry = perTest.get(test) ?? { count: 0, reasons: new Set<string>() };
      entry.count += 1;
      entry.reasons.add(why);
      perTest.set(test, entry);
    }
  }
  const failedRuns = outcomes.filter((outcome) => outcome.exitCode !== 0).length;
  console.log(`\nfailures per test (${failedRuns} of ${outcomes.length} runs failed):`);
  if (perTest.size === 0) console.log('none');
  else {
    console.log('| test | failed in | reasons |\n|---|---|---|');
    for (const [test, { count, reasons }] of [...perTest].sort((a, b) => b[1].count - a[1].count)) {
      console.log(`| ${test} | ${count} of ${outcomes.length} | ${[...reasons].join(' / ')} |`);
    }
  }
  process.exit(failedRuns > 0 ? 1 : 0);
}

await main();
