import 'reflect-metadata';
import { UsageError } from '@meshmon/service-runtime';
import { LabServerError } from './infra/lab-servers.js';
import { LabSuiteError } from './cluster/lab-suite.js';
import { parseLabArgs, USAGE } from './cli/lab-args.js';
import { preflight } from './cli/preflight.js';
import { runLab } from './cli/run-lab.js';
import { onExitCleanup } from './network/cleanup-on-exit.js';
import { formatLabReport } from './report/format-report.js';

const repo = new URL('../../..', import.meta.url).pathname.replace(/\/dist\/?$/, '');

async function main(argv: readonly string[]): Promise<number> {
  const command = parseLabArgs(argv);
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { args } = command;
  preflight(args.nodes);
  const live = process.stderr.isTTY;
  let lastPrinted = 0;
  const { report, prediction } = await runLab(args, {
    repo,
    progress: (line) => {
      if (live) process.stderr.write(`\r\x1b[K${line}`);
      else if (Date.now() - lastPrinted >= 10_000 || !line.startsWith('[')) {
        lastPrinted = Date.now();
        process.stderr.write(`${line}\n`);
      }
    },
    onCleanup: (cleanup) => onExitCleanup('lab cluster', cleanup),
    announce: (line) => process.stderr.write(`${live ? '\r\x1b[K' : ''}${line}\n`),
  });
  if (live) process.stderr.write('\n');
  if (args.json) {
    const { conflictReport, outlierDetails, ...figures } = report;
    console.log(
      JSON.stringify({
        ...figures,
        outlierDetails,
        conflictsListed: conflictReport.listed,
        simulator: prediction,
      }),
    );
  } else {
    console.log(formatLabReport(report, prediction));
  }
  return report.conflicts > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`lab: ${error.message}`);
    process.exitCode = 2;
  } else if (
    error instanceof LabServerError ||
    error instanceof LabSuiteError ||
    (error instanceof Error && /did not start|building the services/.test(error.message))
  ) {
    console.error(`lab: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(
      `lab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  }
}
