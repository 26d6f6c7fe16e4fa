import { analyseSummaries, analyseValues } from './anova-report.js';
import { gamesHowell } from './games-howell.js';
import { oneWayAnova } from './one-way-anova.js';
import { StatsInputError } from './stats-input-error.js';
import { tukeyHsd } from './tukey-hsd.js';
import { checkSummaries, checkValueGroups, parseSummaryFile } from './validate-groups.js';
import { welchAnova } from './welch-anova.js';

const good = [
  { name: 'none', n: 30, mean: 7.9, sd: 0.56 },
  { name: 'k8s', n: 30, mean: 0.08, sd: 0.006 },
  { name: 'swarm', n: 30, mean: 7.8, sd: 0.41 },
];

/** `good` with one field of one group replaced. */
const withField = (index: number, field: string, value: unknown): unknown =>
  good.map((group, i) => (i === index ? { ...group, [field]: value } : group));

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof StatsInputError) return error.problems.map((p) => `${p.field}: ${p.rule}`);
    throw error;
  }
  throw new Error('expected a StatsInputError');
}

describe(checkSummaries.name, () => {
  it.each([
    ['not an array', { groups: good }, 'groups: must be an array of at least 2 groups'],
    ['one group', [good[0]], 'groups: must have at least 2 groups (got 1)'],
    ['no group', [], 'groups: must have at least 2 groups (got 0)'],
    [
      'a group that is not an object',
      [good[0], 7],
      'groups[1]: must be an object {name, n, mean, sd}',
    ],
    ['n < 2', withField(1, 'n', 1), 'groups[1].n: must be an integer >= 2 (got 1)'],
    ['n not an integer', withField(0, 'n', 2.5), 'groups[0].n: must be an integer >= 2 (got 2.5)'],
    ['n a string', withField(0, 'n', '30'), 'groups[0].n: must be an integer >= 2 (got "30")'],
    [
      'n missing',
      withField(2, 'n', undefined),
      'groups[2].n: must be an integer >= 2 (got undefined)',
    ],
    ['sd < 0', withField(1, 'sd', -0.5), 'groups[1].sd: must be a number >= 0 (got -0.5)'],
    ['sd a string', withField(1, 'sd', 'x'), 'groups[1].sd: must be a number >= 0 (got "x")'],
    [
      'sd infinite',
      withField(1, 'sd', Infinity),
      'groups[1].sd: must be a finite number (got Infinity)',
    ],
    ['sd NaN', withField(1, 'sd', NaN), 'groups[1].sd: must be a finite number (got NaN)'],
    ['mean NaN', withField(0, 'mean', NaN), 'groups[0].mean: must be a finite number (got NaN)'],
    [
      'mean -Infinity',
      withField(0, 'mean', -Infinity),
      'groups[0].mean: must be a finite number (got -Infinity)',
    ],
    ['mean null', withField(0, 'mean', null), 'groups[0].mean: must be a number (got null)'],
    [
      'an empty name',
      withField(0, 'name', ' '),
      'groups[0].name: must be a non-empty string of at most 200 characters',
    ],
    [
      'a name not a string',
      withField(0, 'name', 3),
      'groups[0].name: must be a non-empty string of at most 200 characters',
    ],
    [
      'a duplicate name',
      withField(2, 'name', 'none'),
      'groups[2].name: must be unique ("none" is also groups[0].name)',
    ],
    ['an unknown field', withField(0, 'sdev', 1), 'groups[0].sdev: is not allowed'],
  ])('summary check - %s is refused, naming the field and the rule', (_, input, problem) => {
    expect(problemsOf(() => checkSummaries(input))).toEqual([problem]);
  });

  it('summary check - lists every problem at once, in one message', () => {
    const input = [
      { name: 'a', n: 1, mean: 0, sd: -1 },
      { name: 'a', n: 5, mean: 'x', sd: 1 },
    ];

    expect(() => checkSummaries(input)).toThrow(
      'groups[0].n: must be an integer >= 2 (got 1); groups[0].sd: must be a number >= 0 (got -1); ' +
        'groups[1].name: must be unique ("a" is also groups[0].name); groups[1].mean: must be a number (got "x")',
    );
  });

  it('summary check - every public entry point runs it', () => {
    const bad = withField(1, 'sd', -1) as typeof good;
    const message = 'groups[1].sd: must be a number >= 0';

    for (const run of [oneWayAnova, welchAnova, tukeyHsd, gamesHowell, analyseSummaries]) {
      expect(() => run(bad)).toThrow(message);
    }
  });
});

describe(checkValueGroups.name, () => {
  it.each([
    [
      'one value',
      [
        { name: 'a', values: [1] },
        { name: 'b', values: [1, 2] },
      ],
      'groups[0].values: must be an array of at least 2 numbers (got 1 values)',
    ],
    [
      'values missing',
      [{ name: 'a' }, { name: 'b', values: [1, 2] }],
      'groups[0].values: must be an array of at least 2 numbers (got undefined)',
    ],
    [
      'a NaN value',
      [
        { name: 'a', values: [1, 2] },
        { name: 'b', values: [1, NaN, Infinity] },
      ],
      'groups[1].values[1]: must be a finite number (got NaN)',
    ],
    [
      'a string value',
      [
        { name: 'a', values: [1, '2'] },
        { name: 'b', values: [1, 2] },
      ],
      'groups[0].values[1]: must be a number (got "2")',
    ],
    [
      'a duplicate name',
      [
        { name: 'a', values: [1, 2] },
        { name: 'a', values: [1, 2] },
      ],
      'groups[1].name: must be unique ("a" is also groups[0].name)',
    ],
  ])('values check - %s is refused, naming the field and the rule', (_, input, problem) => {
    expect(problemsOf(() => checkValueGroups(input))).toEqual([problem]);
    expect(problemsOf(() => analyseValues(input as never))).toEqual([problem]);
  });
});

describe(parseSummaryFile.name, () => {
  it('summary file - takes {"groups": [...]} and nothing else', () => {
    expect(parseSummaryFile({ groups: good })).toEqual(good);
    expect(problemsOf(() => parseSummaryFile([good]))).toEqual([
      'summary: must be a JSON object {"groups": [{name, n, mean, sd}, ...]}',
    ]);
    expect(
      problemsOf(() => parseSummaryFile({ groups: withField(0, 'sd', -1), alpha: 0.05 })),
    ).toEqual(['alpha: is not allowed', 'groups[0].sd: must be a number >= 0 (got -1)']);
    expect(problemsOf(() => parseSummaryFile({}))).toEqual([
      'groups: must be an array of at least 2 groups',
    ]);
  });
});
