import { UsageError } from '@meshmon/service-runtime/errors/usage-error.js';
import { analyseSummaries, StatsInputError } from '@meshmon/stats';
import { anovaJson } from './anova-json.js';
import { anovaText } from './anova-text.js';
import { readSummaryFile } from './read-summary-file.js';
import { parseStatsArgs, USAGE } from './stats-args.js';

export interface CommandOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * Runs `stats <argv>` and returns the exit code: 0 done, 2 a bad command line or summary
 * file (one line on stderr naming the flag, or the file and the field). Anything else is
 * a bug and is thrown.
 */
export function runStatsCommand(argv: readonly string[], output: CommandOutput): number {
  try {
    const command = parseStatsArgs(argv);
    if (command.kind === 'help') {
      output.out(USAGE);
      return 0;
    }
    return runAnova(command.summaryPath, command.json, output);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`stats: ${error.message}`);
    return 2;
  }
}

function runAnova(summaryPath: string, json: boolean, output: CommandOutput): number {
  try {
    const report = analyseSummaries(readSummaryFile(summaryPath));
    output.out(json ? JSON.stringify(anovaJson(report)) : anovaText(report));
    return 0;
  } catch (error) {
    if (!(error instanceof StatsInputError)) throw error;
    output.err(`stats: ${summaryPath}: ${error.message}`);
    return 2;
  }
}
