import { summariseValues } from './describe-groups.js';
import { PLANT_GROWTH } from './testing/r-datasets.js';
import { welchAnova } from './welch-anova.js';

describe(welchAnova.name, () => {
  it("Welch's ANOVA - reproduces R's oneway.test on PlantGrowth", () => {
    // R: oneway.test(weight ~ group, PlantGrowth): F = 5.181, num df = 2.000,
    // denom df = 17.128, p-value = 0.01739.
    const sut = welchAnova(PLANT_GROWTH.map(summariseValues))!;

    expect(sut.F).toBeCloseTo(5.181, 3);
    expect(sut.dfBetween).toBe(2);
    expect(sut.dfWithin).toBeCloseTo(17.128, 3);
    expect(sut.p).toBeCloseTo(0.01739, 5);
  });

  it("Welch's ANOVA - is not computed when a group has sd 0 (its weight n/sd² is infinite)", () => {
    const sut = welchAnova([
      { name: 'a', n: 5, mean: 1, sd: 0 },
      { name: 'b', n: 5, mean: 2, sd: 1 },
    ]);

    expect(sut).toBeNull();
  });
});
