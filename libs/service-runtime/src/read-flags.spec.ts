import { readFlags } from './read-flags.js';
import { UsageError } from './errors/usage-error.js';

const spec = {
  values: ['--nodes', '--param', '--churn'],
  switches: ['--json', '--help', '-h'],
  unknownRule: 'is not a known flag',
  dashValues: ['--churn'],
};

function problemOf(argv: string[]): { flag: string; rule: string } {
  try {
    readFlags(argv, spec);
  } catch (error) {
    if (error instanceof UsageError) return { flag: error.flag, rule: error.rule };
    throw error;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe(readFlags.name, () => {
  it('read flags - takes --flag value and --flag=value alike, keeps repeats in order', () => {
    const flags = readFlags(['--nodes', '4', '--param=a=1', '--param', 'b=2', '--json'], spec);

    expect(flags.values.get('--nodes')).toEqual(['4']);
    expect(flags.values.get('--param')).toEqual(['a=1', 'b=2']);
    expect([...flags.switches]).toEqual(['--json']);
  });

  it('read flags - -h is --help', () => {
    expect([...readFlags(['-h'], spec).switches]).toEqual(['--help']);
  });

  it('read flags - a value may begin with a dash, and with -- only where allowed', () => {
    expect(readFlags(['--nodes', '-1'], spec).values.get('--nodes')).toEqual(['-1']);
    expect(readFlags(['--churn', '--x'], spec).values.get('--churn')).toEqual(['--x']);
    expect(problemOf(['--nodes', '--json'])).toEqual({ flag: '--nodes', rule: 'needs a value' });
  });

  it.each([
    [['--bogus'], { flag: '--bogus', rule: 'is not a known flag' }],
    [['--bogus=1'], { flag: '--bogus', rule: 'is not a known flag' }],
    [['stray'], { flag: 'stray', rule: 'is not a known flag' }],
    [['-x'], { flag: '-x', rule: 'is not a known flag' }],
    [['--', '--nodes', '4'], { flag: '--', rule: 'is not a known flag' }],
    [['--nodes'], { flag: '--nodes', rule: 'needs a value' }],
    [['--json=yes'], { flag: '--json', rule: 'takes no value' }],
  ])('read flags - %j is refused, naming the flag and the rule', (argv, problem) => {
    expect(problemOf(argv)).toEqual(problem);
  });
});
