import { describe, expect, it } from '@jest/globals';
import { UsageError } from '@meshmon/service-runtime';
import { parseChaosArgs } from './chaos-args.js';

const run = (...argv: string[]) => {
  const command = parseChaosArgs(argv);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.args;
};

const refused = (argv: string[]): { flag: string; rule: string } => {
  try {
    parseChaosArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return { flag: error.flag, rule: error.rule };
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe(parseChaosArgs.name, () => {
  it('chaos args - defaults: every fault, CPS on 4 nodes, 3 s probes; --quick 2 s', () => {
    expect(run()).toEqual({
      quick: false,
      json: false,
      algorithm: 'cps',
      nodes: 4,
      probeSeconds: 3,
      seed: 1,
      params: {},
      faults: null,
    });
    expect(run('--quick', '--json')).toMatchObject({ quick: true, json: true, probeSeconds: 2 });
  });

  it('chaos args - faults and params by name', () => {
    expect(
      run(
        '--algorithm',
        'tts',
        '--fault',
        'nats-restarted',
        '--fault',
        'node-cut-off',
        '--param',
        'livenessIntervalMs=9000',
      ),
    ).toMatchObject({
      algorithm: 'tts',
      faults: ['nats-restarted', 'node-cut-off'],
      params: { livenessIntervalMs: 9000 },
    });
  });

  it('chaos args - a bad flag is named with its rule', () => {
    expect(refused(['--algorithm', 'rr'])).toEqual({
      flag: '--algorithm',
      rule: 'must be cps or tts (got "rr")',
    });
    expect(refused(['--nodes', '2'])).toEqual({
      flag: '--nodes',
      rule: 'must be an integer in 3..8 (got "2")',
    });
    expect(refused(['--fault', 'meteor'])).toMatchObject({ flag: '--fault' });
    expect(refused(['--param', 'lockMs=-1'])).toMatchObject({ flag: '--param' });
    expect(refused(['--quick=yes'])).toMatchObject({ flag: '--quick' });
    expect(refused(['--loud'])).toMatchObject({ flag: '--loud' });
  });

  it('chaos args - --help asks for the usage', () => {
    expect(parseChaosArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
