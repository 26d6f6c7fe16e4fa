// Deep imports, as for the health check: the runtime's index also loads the NATS and
// Redis clients, which a statistics command never uses.
import { readFlags } from '@meshmon/service-runtime/read-flags.js';
import { UsageError } from '@meshmon/service-runtime/errors/usage-error.js';

export type StatsCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'anova'; readonly summaryPath: string; readonly json: boolean };

export const USAGE = `Usage:
  stats anova --summary <file.json> [--json]
  stats --help

anova: one-way ANOVA, Welch's ANOVA, Tukey HSD and Games-Howell pairs, effect sizes and
the seed thesis's standard error of differences, from each group's n, mean and sample
standard deviation:
  {"groups": [{"name": "kubernetes", "n": 30, "mean": 0.08, "sd": 0.0064}, ...]}
--json prints one JSON object on one line instead of the tables.
Exit codes: 0 done, 2 a bad command line or summary file.`;

const COMMAND_LINE = 'stats anova --summary <file.json> [--json]';

/** The command line after `stats`: a command word, then its flags. */
export function parseStatsArgs(argv: readonly string[]): StatsCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('a command', `is required: ${COMMAND_LINE}`);
  if (command === '--help' || command === '-h') return { kind: 'help' };
  if (command.startsWith('-')) throw new UsageError('anova', `must come first: ${COMMAND_LINE}`);
  if (command !== 'anova') {
    throw new UsageError(
      `"${command}"`,
      `is not a stats command: the command is anova (see --help)`,
    );
  }
  const flags = readFlags(rest, {
    values: ['--summary'],
    switches: ['--json', '--help', '-h'],
    unknownRule: 'is not an anova flag (see stats --help)',
  });
  if (flags.switches.has('--help')) return { kind: 'help' };
  const summaries = flags.values.get('--summary') ?? [];
  if (summaries.length === 0) {
    throw new UsageError(
      '--summary',
      'is required: a JSON file {"groups": [{name, n, mean, sd}, ...]}',
    );
  }
  if (summaries.length > 1) throw new UsageError('--summary', 'is given more than once');
  const summaryPath = summaries[0];
  if (summaryPath.trim() === '') throw new UsageError('--summary', 'needs a file path');
  return { kind: 'anova', summaryPath, json: flags.switches.has('--json') };
}
