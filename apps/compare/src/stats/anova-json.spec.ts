import { analyseSummaries } from '@meshmon/stats';
import { anovaJson } from './anova-json.js';

const groups = [
  { name: 'none', n: 30, mean: 7.946222, sd: 0.56004 },
  { name: 'k8s', n: 30, mean: 0.082474915, sd: 0.006368902 },
  { name: 'swarm', n: 30, mean: 7.815679594, sd: 0.414535612 },
];

describe(anovaJson.name, () => {
  it('anova JSON - the agreed names come first, pairs carry a, b, diff, q, pAdjusted', () => {
    const sut = anovaJson(analyseSummaries(groups));

    expect(Object.keys(sut).slice(0, 8)).toEqual([
      'F',
      'dfBetween',
      'dfWithin',
      'msWithin',
      'p',
      'seDiff',
      'tukey',
      'gamesHowell',
    ]);
    for (const pair of [...sut.tukey, ...sut.gamesHowell!]) {
      expect(Object.keys(pair).slice(0, 5)).toEqual(['a', 'b', 'diff', 'q', 'pAdjusted']);
    }
    expect(sut.tukey.map(({ a, b }) => `${a}/${b}`)).toEqual([
      'none/k8s',
      'none/swarm',
      'k8s/swarm',
    ]);
  });

  it('anova JSON - survives a round trip through JSON unchanged (no NaN or Infinity)', () => {
    const sut = anovaJson(analyseSummaries(groups));

    expect(JSON.parse(JSON.stringify(sut))).toEqual(sut);
  });

  it('anova JSON - gamesHowell and welch are null when a group has sd 0', () => {
    const sut = anovaJson(analyseSummaries([...groups, { name: 'idle', n: 30, mean: 0, sd: 0 }]));

    expect(sut.gamesHowell).toBeNull();
    expect(sut.welch).toBeNull();
    expect(sut.tukey).toHaveLength(6);
  });
});
