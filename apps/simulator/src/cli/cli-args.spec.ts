import { parseArgs, type RunArgs } from './cli-args.js';
import { UsageError } from '@meshmon/service-runtime';

/** Parses a command line given as one string (no value here contains a space). */
const parse = (line: string) => parseArgs(line.split(' ').filter((arg) => arg !== ''));

function runOf(line: string): RunArgs {
  const command = parse(line);
  if (command.kind !== 'simulate')
    throw new Error(`expected a simulate command, got ${command.kind}`);
  return command.run;
}

function usageErrorOf(line: string): UsageError {
  try {
    parse(line);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`"${line}" was accepted`);
}

describe(parseArgs.name, () => {
  it('cli args - reads a full simulate command', () => {
    const run = runOf(
      '--algorithm cps --nodes 8 --event-seconds 10 --duration 3600 --seed 42 --loss 0.1 ' +
        '--latency-ms 5 --event-jitter 0.1 --churn join:n9@60,crash:n2@120 ' +
        '--events-out /tmp/x.jsonl --param cps.listeningMs=2000 --param lockMs=30000 ' +
        '--param cps.roleDuration.minEvents=4 --json',
    );
    expect(run).toEqual({
      algorithm: 'cps',
      nodes: 8,
      eventSeconds: 10,
      durationSeconds: 3600,
      seed: 42,
      loss: 0.1,
      latencyMs: 5,
      eventJitter: 0.1,
      churn: [
        { action: 'join', node: 'n9', atSeconds: 60 },
        { action: 'crash', node: 'n2', atSeconds: 120 },
      ],
      eventsOut: '/tmp/x.jsonl',
      json: true,
      config: { cps: { listeningMs: 2000, roleDuration: { minEvents: 4 } }, lockMs: 30000 },
    });
  });

  it('cli args - fills in the documented defaults', () => {
    expect(runOf('--algorithm rr --nodes 4')).toEqual({
      algorithm: 'rr',
      nodes: 4,
      eventSeconds: 13.45,
      durationSeconds: 7200,
      seed: 1,
      loss: 0,
      latencyMs: 1,
      eventJitter: 0.02,
      churn: [],
      eventsOut: null,
      json: false,
      config: {},
    });
  });

  it('cli args - accepts the --flag=value form', () => {
    const run = runOf(
      '--algorithm=tts --nodes=6 --loss=0.05 --churn=leave:n3@10 --param=crs.threshold=0.6',
    );
    expect(run).toEqual(
      expect.objectContaining({
        algorithm: 'tts',
        nodes: 6,
        loss: 0.05,
        churn: [{ action: 'leave', node: 'n3', atSeconds: 10 }],
        config: { crs: { threshold: 0.6 } },
      }),
    );
  });

  it('cli args - reads --list as the list command', () => {
    expect(parse('--list')).toEqual({ kind: 'list' });
  });

  it('cli args - reads --help and -h as the help command', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse('-h')).toEqual({ kind: 'help' });
  });

  it('cli args - reads --compare-thesis with a seed count', () => {
    expect(parse('--compare-thesis --seeds 2')).toEqual({
      kind: 'compare-thesis',
      seeds: 2,
      json: false,
      eventSeconds: 13.45,
    });
    expect(parse('--compare-thesis --seeds 2 --json --event-seconds 12')).toEqual({
      kind: 'compare-thesis',
      seeds: 2,
      json: true,
      eventSeconds: 12,
    });
  });

  it.each([
    [
      '--algorithm nope --nodes 4',
      '--algorithm',
      /must be one of rr, crs, cps, tts \(got "nope"\)/,
    ],
    ['--nodes 4', '--algorithm', /is required: one of rr, crs, cps, tts/],
    ['--algorithm cps', '--nodes', /is required: an integer >= 2/],
    ['--algorithm cps --nodes 1', '--nodes', /must be an integer >= 2 \(got "1"\)/],
    ['--algorithm cps --nodes 2.5', '--nodes', /must be an integer >= 2 \(got "2.5"\)/],
    ['--algorithm cps --nodes abc', '--nodes', /must be a number \(got "abc"\)/],
    ['--algorithm cps --nodes 4 --duration -5', '--duration', /must be a number > 0 \(got "-5"\)/],
    ['--algorithm cps --nodes 4 --duration 0', '--duration', /must be a number > 0 \(got "0"\)/],
    ['--algorithm cps --nodes 4 --duration abc', '--duration', /must be a number \(got "abc"\)/],
    ['--algorithm cps --nodes 4 --event-seconds -1', '--event-seconds', /must be a number > 0/],
    ['--algorithm cps --nodes 4 --loss 1.5', '--loss', /must be between 0 and 1 \(got "1.5"\)/],
    ['--algorithm cps --nodes 4 --loss -0.1', '--loss', /must be between 0 and 1 \(got "-0.1"\)/],
    ['--algorithm cps --nodes 4 --loss 1', '--loss', /must be in \[0, 1\)/],
    ['--algorithm cps --nodes 4 --seed -1', '--seed', /must be an integer >= 0/],
    [
      '--algorithm cps --nodes 4 --churn garbage',
      '--churn',
      /entry 1 "garbage" must look like <join\|leave\|crash>:<node>@<seconds>/,
    ],
    [
      '--algorithm cps --nodes 4 --churn leave:n99@10',
      '--churn',
      /leave:n99@10: n99 is not a member at that time/,
    ],
    ['--algorithm cps --nodes 4 --bogus', '--bogus', /is not a known flag/],
    ['--algorithm cps --nodes', '--nodes', /needs a value/],
    [
      '--algorithm cps --nodes 4 --param cps.nope=3',
      '--param',
      /must be <name>=<number> with name one of .*cps\.listeningMs.* \(got "cps\.nope=3"\)/,
    ],
    [
      '--algorithm cps --nodes 4 --param cps.listeningMs=abc',
      '--param',
      /cps\.listeningMs must be a number \(got "abc"\)/,
    ],
  ])('cli args - rejects "%s" naming %s and the rule', (line, flag, rule) => {
    const error = usageErrorOf(line);
    expect(error.flag).toBe(flag);
    expect(error.rule).toMatch(rule);
    expect(error.message).toBe(`${flag} ${error.rule}`);
    expect(error.name).toBe('UsageError');
  });

  it('cli args - does not take the next flag as a missing value', () => {
    const error = usageErrorOf('--algorithm cps --nodes --json');
    expect(error.flag).toBe('--nodes');
    expect(error.rule).toBe('needs a value');
  });

  it('cli args - checks churn against the node count: n5 is not a member of 4 nodes', () => {
    expect(usageErrorOf('--algorithm cps --nodes 4 --churn crash:n5@10').flag).toBe('--churn');
    expect(runOf('--algorithm cps --nodes 5 --churn crash:n5@10').churn).toHaveLength(1);
  });
});
