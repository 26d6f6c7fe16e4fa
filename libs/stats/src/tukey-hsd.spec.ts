import { summariseValues } from './describe-groups.js';
import { PLANT_GROWTH } from './testing/r-datasets.js';
import { tukeyHsd } from './tukey-hsd.js';

const plantGrowth = PLANT_GROWTH.map(summariseValues);

describe(tukeyHsd.name, () => {
  it("Tukey HSD - reproduces R's TukeyHSD on PlantGrowth", () => {
    // R: TukeyHSD(aov(weight ~ group, PlantGrowth)); R lists b - a, we list a - b, so the
    // signs and the interval ends swap:
    //             diff        lwr       upr     p adj
    // trt1-ctrl -0.371 -1.0622161 0.3202161 0.3908711
    // trt2-ctrl  0.494 -0.1972161 1.1852161 0.1979960
    // trt2-trt1  0.865  0.1737839 1.5562161 0.0120064
    const sut = tukeyHsd(plantGrowth);

    expect(sut.map(({ a, b }) => `${a}-${b}`)).toEqual(['ctrl-trt1', 'ctrl-trt2', 'trt1-trt2']);
    const expected = [
      [0.371, -0.3202161, 1.0622161, 0.3908711],
      [-0.494, -1.1852161, 0.1972161, 0.197996],
      [-0.865, -1.5562161, -0.1737839, 0.0120064],
    ];
    sut.forEach((pair, i) => {
      const [diff, lower, upper, p] = expected[i];
      expect(pair.diff).toBeCloseTo(diff, 10);
      expect(pair.ciLower).toBeCloseTo(lower, 6);
      expect(pair.ciUpper).toBeCloseTo(upper, 6);
      expect(pair.pAdjusted).toBeCloseTo(p, 7);
    });
  });

  it('Tukey HSD - uses the Tukey-Kramer standard error when n differs', () => {
    // PlantGrowth with 10, 7 and 5 plants. Reference: SciPy 1.17 scipy.stats.tukey_hsd
    // (Tukey-Kramer for unequal n) on the same values.
    const unequal = [
      { name: 'ctrl', values: PLANT_GROWTH[0].values },
      { name: 'trt1', values: PLANT_GROWTH[1].values.slice(0, 7) },
      { name: 'trt2', values: PLANT_GROWTH[2].values.slice(0, 5) },
    ].map(summariseValues);

    const sut = tukeyHsd(unequal);

    const expected = [
      [0.359142857143, 0.562393327074, -0.519316191289, 1.237601905575],
      [-0.536, 0.363410696392, -1.512352645285, 0.440352645285],
      [-0.895142857143, 0.100793047288, -1.938907739236, 0.14862202495],
    ];
    sut.forEach((pair, i) => {
      const [diff, p, lower, upper] = expected[i];
      expect(pair.diff).toBeCloseTo(diff, 10);
      expect(pair.pAdjusted).toBeCloseTo(p, 7);
      expect(pair.ciLower).toBeCloseTo(lower, 6);
      expect(pair.ciUpper).toBeCloseTo(upper, 6);
    });
  });

  it("Tukey HSD - with equal n, q is the difference over √(MSw/n), the seed's SE over √2", () => {
    const sut = tukeyHsd(plantGrowth);
    const msWithin = 10.49209 / 27;

    expect(sut[0].se).toBeCloseTo(Math.sqrt(msWithin / 10), 6);
    expect(sut[0].q).toBeCloseTo(0.371 / Math.sqrt(msWithin / 10), 5);
  });
});
