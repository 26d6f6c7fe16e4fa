import { UsageError } from '@meshmon/service-runtime/errors/usage-error.js';
import { parseCompareArgs } from './compare-args.js';

describe(parseCompareArgs.name, () => {
  it('compare args - the defaults: process, container and swarm with the shipped scenario', () => {
    const command = parseCompareArgs([]);

    expect(command).toMatchObject({
      kind: 'compare',
      orchestrators: ['process', 'container', 'swarm'],
      json: false,
      out: null,
    });
    expect(command.kind === 'compare' && command.scenarioPath).toMatch(/scenarios\/default\.json$/);
  });

  it('compare args - overrides and report-only', () => {
    expect(
      parseCompareArgs([
        '--orchestrators',
        'swarm,process',
        '--windows=6',
        '--window-seconds',
        '10',
        '--json',
      ]),
    ).toMatchObject({
      orchestrators: ['swarm', 'process'],
      windows: 6,
      windowSeconds: 10,
      json: true,
    });
    expect(parseCompareArgs(['--report-only', '--run', 'cmp-1'])).toEqual({
      kind: 'report',
      run: 'cmp-1',
      json: false,
      out: null,
    });
  });

  it.each([
    [
      ['--orchestrators', 'process,nomad'],
      '--orchestrators has "nomad": each must be one of process, container, swarm, kubernetes',
    ],
    [['--orchestrators', 'swarm,swarm'], '--orchestrators names an orchestrator twice'],
    [['--windows', '-3'], '--windows'],
    [['--windows', '0'], '--windows must be a whole number >= 1 (got "0")'],
    [['--report-only'], '--run is required with --report-only'],
    [
      ['--report-only', '--run', 'cmp-1', '--windows', '3'],
      '--windows does not go with --report-only',
    ],
    [['--run', 'x'], '--run goes with --report-only only'],
    [['--fast'], '--fast is not a compare flag'],
  ])('compare args - %j is refused naming the flag', (argv, message) => {
    expect(() => parseCompareArgs(argv)).toThrow(UsageError);
    expect(() => parseCompareArgs(argv)).toThrow(message);
  });
});
