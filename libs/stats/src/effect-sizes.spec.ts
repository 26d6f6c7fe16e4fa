import { effectSizes, seedStandardErrorOfDifferences } from './effect-sizes.js';
import { oneWayAnova, oneWayAnovaFromValues } from './one-way-anova.js';
import { PLANT_GROWTH } from './testing/r-datasets.js';

describe(effectSizes.name, () => {
  it('effect sizes - eta² and omega² of PlantGrowth from its ANOVA table', () => {
    // From R's table (SSb 3.76634, SSw 10.49209, MSw 0.38860): eta² = 3.76634 / 14.25843
    // = 0.26415; omega² = (3.76634 - 2 · 0.38860) / (14.25843 + 0.38860) = 0.20408.
    const sut = effectSizes(oneWayAnovaFromValues(PLANT_GROWTH));

    expect(sut.etaSquared).toBeCloseTo(0.264148, 6);
    expect(sut.omegaSquared).toBeCloseTo(0.204079, 6);
  });

  it('effect sizes - omega² is floored at 0 when F < 1', () => {
    const table = oneWayAnova([
      { name: 'a', n: 10, mean: 0, sd: 1 },
      { name: 'b', n: 10, mean: 0.1, sd: 1 },
    ]);

    const sut = effectSizes(table);

    expect(table.F).toBeLessThan(1);
    expect(sut.omegaSquared).toBe(0);
    expect(sut.etaSquared).toBeGreaterThan(0);
  });
});

describe(seedStandardErrorOfDifferences.name, () => {
  it("seed's standard error - √(2 · MSw / n), and null when n differs", () => {
    const equal = [
      { name: 'a', n: 30, mean: 0, sd: 1 },
      { name: 'b', n: 30, mean: 1, sd: 1 },
    ];

    expect(seedStandardErrorOfDifferences(equal, 0.161841609)).toBeCloseTo(0.103872232, 9);
    expect(
      seedStandardErrorOfDifferences([...equal, { ...equal[0], name: 'c', n: 29 }], 1),
    ).toBeNull();
  });
});
