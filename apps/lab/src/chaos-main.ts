// `npm run --silent chaos -- [--quick] [--json]`: the fault suite (apps/lab/src/chaos).
import 'reflect-metadata';
import { UsageError } from '@meshmon/service-runtime';
import { rowPasses } from './chaos/chaos-books.js';
import { CHAOS_USAGE, parseChaosArgs } from './chaos/chaos-args.js';
import { chaosJson, formatChaos } from './chaos/format-chaos.js';
import { runChaos } from './chaos/run-chaos.js';
import { preflight } from './cli/preflight.js';
import { LabServerError } from './infra/lab-servers.js';
import { LabSuiteError } from './cluster/lab-suite.js';
import { onExitCleanup } from './network/cleanup-on-exit.js';

const repo = new URL('../../..', import.meta.url).pathname.replace(/\/dist\/?$/, '');

async function main(argv: readonly string[]): Promise<number> {
  const command = parseChaosArgs(argv);
  if (command.kind === 'help') {
    console.log(CHAOS_USAGE);
    return 0;
  }
  const { args } = command;
  preflight(args.nodes);
  const live = process.stderr.isTTY;
  const outcome = await runChaos(args, {
    repo,
    progress: (line) => process.stderr.write(live ? `\r\x1b[K${line}` : `${line}\n`),
    announce: (line) => process.stderr.write(`${live ? '\r\x1b[K' : ''}chaos: ${line}\n`),
    onCleanup: (cleanup) => onExitCleanup('chaos lab', cleanup),
  });
  const table = formatChaos(outcome);
  if (args.json) {
    process.stderr.write(`${table}\n`);
    console.log(chaosJson(outcome));
  } else {
    console.log(table);
  }
  const all = outcome.books.rows;
  return all.length > 0 && all.every(rowPasses) ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`chaos: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof LabServerError || error instanceof LabSuiteError) {
    console.error(`chaos: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(
      `chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  }
}
