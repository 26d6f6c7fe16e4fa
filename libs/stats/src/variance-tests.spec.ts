import { PLANT_GROWTH } from './testing/r-datasets.js';
import { brownForsytheTest, leveneTest } from './variance-tests.js';

describe(leveneTest.name, () => {
  it('Brown-Forsythe - reproduces R car::leveneTest (center = median) on PlantGrowth', () => {
    // R: car::leveneTest(weight ~ group, PlantGrowth): Df 2, 27; F value 1.1192;
    // Pr(>F) 0.3412 (car's default centre is the median: the Brown-Forsythe test).
    const sut = brownForsytheTest(PLANT_GROWTH)!;

    expect(sut.center).toBe('median');
    expect([sut.dfBetween, sut.dfWithin]).toEqual([2, 27]);
    expect(sut.F).toBeCloseTo(1.1192, 4);
    expect(sut.p).toBeCloseTo(0.3412, 4);
  });

  it('Levene - reproduces the mean-centred test on PlantGrowth', () => {
    // R: car::leveneTest(weight ~ group, PlantGrowth, center = mean); the figures are
    // SciPy 1.17's scipy.stats.levene(ctrl, trt1, trt2, center='mean').
    const sut = leveneTest(PLANT_GROWTH, 'mean')!;

    expect(sut.F).toBeCloseTo(1.2369629544697844, 10);
    expect(sut.p).toBeCloseTo(0.3061949229914473, 8);
  });

  it('Levene - is not computed when no distance from the centre varies within a group', () => {
    // Two values per group are always equally far from their mean.
    const sut = leveneTest([
      { name: 'a', values: [1, 3] },
      { name: 'b', values: [2, 6] },
    ]);

    expect(sut).toBeNull();
  });
});
