import {
  describeSummaries,
  describeValues,
  meanConfidenceInterval,
  summariseValues,
} from './describe-groups.js';
import { PLANT_GROWTH } from './testing/r-datasets.js';

describe(describeValues.name, () => {
  it('group description - n, mean, sample sd and the t interval of PlantGrowth ctrl', () => {
    // mean ± t(0.975, 9) · sd / √10 with sd 0.5830914 (the figures computed with SciPy
    // 1.17: 4.6148816 .. 5.4491184; R's t.test on the ten values gives the same interval).
    const [sut] = describeValues(PLANT_GROWTH);

    expect(sut).toMatchObject({ name: 'ctrl', n: 10 });
    expect(sut.mean).toBeCloseTo(5.032, 12);
    expect(sut.sd).toBeCloseTo(0.5830914, 7);
    expect(sut.ci.level).toBe(0.95);
    expect(sut.ci.lower).toBeCloseTo(4.6148816, 6);
    expect(sut.ci.upper).toBeCloseTo(5.4491184, 6);
  });

  it('group description - the two-pass sd does not cancel on a large offset', () => {
    const sut = summariseValues({ name: 'bytes', values: [1e12 + 1, 1e12 + 2, 1e12 + 3] });

    expect(sut.sd).toBeCloseTo(1, 6);
  });

  it('group description - a 99 % interval is wider than the 95 % one', () => {
    const group = { name: 'a', n: 30, mean: 10, sd: 2 };

    expect(meanConfidenceInterval(group, 0.99).halfWidth).toBeGreaterThan(
      describeSummaries([group, { ...group, name: 'b' }])[0].ci.halfWidth,
    );
    expect(() => meanConfidenceInterval(group, 95)).toThrow('level must be in (0, 1)');
  });
});
