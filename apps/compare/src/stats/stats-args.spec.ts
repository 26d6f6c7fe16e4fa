import { UsageError } from '@meshmon/service-runtime/errors/usage-error.js';
import { parseStatsArgs } from './stats-args.js';

describe(parseStatsArgs.name, () => {
  it('stats arguments - anova with a summary file, with and without --json', () => {
    expect(parseStatsArgs(['anova', '--summary', 'a.json'])).toEqual({
      kind: 'anova',
      summaryPath: 'a.json',
      json: false,
    });
    expect(parseStatsArgs(['anova', '--json', '--summary=b.json'])).toEqual({
      kind: 'anova',
      summaryPath: 'b.json',
      json: true,
    });
  });

  it('stats arguments - help, before or after the command', () => {
    expect(parseStatsArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseStatsArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseStatsArgs(['anova', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'a command is required: stats anova --summary <file.json> [--json]'],
    [['--summary', 'a.json'], 'anova must come first: stats anova --summary <file.json> [--json]'],
    [['tukey'], '"tukey" is not a stats command: the command is anova (see --help)'],
    [['anova'], '--summary is required: a JSON file {"groups": [{name, n, mean, sd}, ...]}'],
    [['anova', '--summary'], '--summary needs a value'],
    [['anova', '--summary', '--json'], '--summary needs a value'],
    [['anova', '--summary', ''], '--summary needs a file path'],
    [['anova', '--summary', 'a.json', '--summary', 'b.json'], '--summary is given more than once'],
    [
      ['anova', '--summary', 'a.json', '--alpha', '0.01'],
      '--alpha is not an anova flag (see stats --help)',
    ],
    [['anova', '--summary', 'a.json', 'extra'], 'extra is not an anova flag (see stats --help)'],
    [['anova', '--summary', 'a.json', '--json=yes'], '--json takes no value'],
  ])('stats arguments - %j is a usage error naming the flag', (argv, message) => {
    expect(() => parseStatsArgs(argv)).toThrow(UsageError);
    expect(() => parseStatsArgs(argv)).toThrow(message);
  });
});
