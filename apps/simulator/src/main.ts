import { ALGORITHM_NAMES } from '@meshmon/scheduling';
import { USAGE, parseArgs } from './cli/cli-args.js';
import { resultJson, runSimulation } from './cli/run-simulation.js';
import { compareWithThesis, formatComparison, formatTable } from './cli/thesis-comparison.js';
import { UsageError } from '@meshmon/service-runtime';

function main(argv: readonly string[]): number {
  const command = parseArgs(argv);
  switch (command.kind) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'list':
      console.log(ALGORITHM_NAMES.join('\n'));
      return 0;
    case 'compare-thesis': {
      const rows = compareWithThesis(command.seeds, command.eventSeconds);
      console.log(command.json ? JSON.stringify(rows, null, 2) : formatComparison(rows));
      return 0;
    }
    case 'simulate': {
      const result = runSimulation(command.run);
      if (command.run.json) {
        console.log(JSON.stringify(resultJson(result, command.run)));
      } else {
        const json = resultJson(result, command.run);
        const rows = Object.entries(json)
          .filter(([, value]) => typeof value !== 'object' || value === null)
          .map(([key, value]) => [
            key,
            typeof value === 'number' && !Number.isInteger(value)
              ? value.toFixed(3)
              : String(value),
          ]);
        console.log(formatTable(['metric', 'value'], rows));
        for (const conflict of result.conflictReport.listed) {
          console.log(
            `conflict on ${conflict.node}: ${JSON.stringify(conflict.first)} overlaps ${JSON.stringify(conflict.second)}`,
          );
        }
      }
      return result.conflicts > 0 ? 1 : 0;
    }
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`simulate: ${error.message}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
