// `npm run compare -- --orchestrators process,container,swarm [--scenario <file>] ...` and
// `npm run compare -- --report-only --run <id>`. Progress goes to stderr line by line;
// with --json the last line on stdout is the report.
import { UsageError } from '@meshmon/service-runtime/errors/usage-error.js';
import { parseCompareArgs, USAGE } from './compare/compare-args.js';
import { UnknownRunError } from './compare/compare-store.js';
import { rebuildReport, runComparison } from './compare/run-compare.js';
import { readScenario, ScenarioError } from './compare/scenario.js';
import type { CompareReport } from './compare/report-types.js';

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);
const say = (line: string) => err(`compare: ${line}`);

/**
 * The first SIGINT or SIGTERM aborts the comparison: every wait ends, the block in hand is
 * torn down and Docker left as it was found; a second one exits at once.
 */
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) process.exit(130);
    say(`${signal}: stopping, tearing down what runs (again to exit at once)`);
    interrupt.abort(new Error(`interrupted by ${signal}`));
  });
}

async function main(): Promise<number> {
  let command;
  try {
    command = parseCompareArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`compare: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    out(USAGE);
    return 0;
  }
  let report: CompareReport;
  try {
    if (command.kind === 'report') {
      report = await rebuildReport(command.run, command.out, { say });
    } else {
      const scenario = readScenario(command.scenarioPath, {
        ...(command.windows === undefined ? {} : { windows: command.windows }),
        ...(command.windowSeconds === undefined ? {} : { windowSeconds: command.windowSeconds }),
      });
      report = await runComparison(
        command.orchestrators,
        scenario,
        command.out,
        { say },
        interrupt.signal,
      );
    }
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof UnknownRunError) {
      err(`compare: ${error.message}`);
      return 2;
    }
    if (interrupt.signal.aborted) {
      err('compare: interrupted; everything it started is gone');
      return 130;
    }
    err(
      `compare: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
  if (command.json) out(JSON.stringify(report));
  return 0;
}

process.exitCode = await main();
