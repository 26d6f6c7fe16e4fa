import anova1 from '@stdlib/stats-anova1';
import { summariseValues } from './describe-groups.js';
import type { GroupValues } from './group-types.js';
import { oneWayAnova, oneWayAnovaFromValues } from './one-way-anova.js';
import { INSECT_SPRAYS, PLANT_GROWTH } from './testing/r-datasets.js';

/** stdlib's one-way ANOVA over the raw values: an implementation independent of ours. */
function stdlibAnova(groups: readonly GroupValues[]) {
  const values = groups.flatMap((group) => group.values);
  const factor = groups.flatMap((group) => group.values.map(() => group.name));
  return anova1(values, factor);
}

describe(oneWayAnova.name, () => {
  it('one-way ANOVA - reproduces R on PlantGrowth', () => {
    // R: anova(lm(weight ~ group, PlantGrowth)): group Df 2, Sum Sq 3.7663, Mean Sq
    // 1.8832; Residuals Df 27, Sum Sq 10.4921, Mean Sq 0.3886; F 4.8461, Pr(>F) 0.01591.
    const sut = oneWayAnovaFromValues(PLANT_GROWTH);

    expect(sut.dfBetween).toBe(2);
    expect(sut.dfWithin).toBe(27);
    expect(sut.ssBetween).toBeCloseTo(3.76634, 5);
    expect(sut.ssWithin).toBeCloseTo(10.49209, 5);
    expect(sut.F).toBeCloseTo(4.846088, 6);
    expect(sut.p).toBeCloseTo(0.01591, 5);
  });

  it.each([
    ['PlantGrowth', PLANT_GROWTH],
    ['InsectSprays', INSECT_SPRAYS],
  ])('one-way ANOVA - raw values of %s give what stdlib anova1 gives', (_, groups) => {
    const sut = oneWayAnovaFromValues(groups);
    const reference = stdlibAnova(groups);

    expect(sut.F).toBeCloseTo(reference.statistic, 9);
    expect(sut.p).toBeCloseTo(reference.pValue, 12);
    expect(sut.dfBetween).toBe(reference.treatment.df);
    expect(sut.dfWithin).toBe(reference.error.df);
    expect(sut.msWithin).toBeCloseTo(reference.error.ms, 9);
    expect(sut.msBetween).toBeCloseTo(reference.treatment.ms, 9);
  });

  it('one-way ANOVA - the summary path and the raw path agree', () => {
    const fromSummaries = oneWayAnova(INSECT_SPRAYS.map(summariseValues));
    const fromValues = oneWayAnovaFromValues(INSECT_SPRAYS);

    // R: summary(aov(count ~ spray, InsectSprays)): F value 34.7, Pr(>F) < 2e-16.
    expect(fromValues.F).toBeCloseTo(34.70228, 5);
    for (const key of ['F', 'p', 'ssBetween', 'ssWithin', 'msWithin'] as const) {
      expect(fromSummaries[key]).toBeCloseTo(fromValues[key], 10);
    }
  });

  it('one-way ANOVA - refuses groups without any variation, like the seed packet-loss tables', () => {
    // Tables 5.7 and 5.8: every mean and sd is 0, so F is 0/0.
    const zeros = ['No orchestration', 'Kubernetes', 'Docker Swarm'].map((name) => ({
      name,
      n: 30,
      mean: 0,
      sd: 0,
    }));

    expect(() => oneWayAnova(zeros)).toThrow('groups: must not all have sd 0');
  });

  it('one-way ANOVA - one group without variation is fine', () => {
    const sut = oneWayAnova([
      { name: 'a', n: 5, mean: 1, sd: 0 },
      { name: 'b', n: 5, mean: 2, sd: 1 },
    ]);

    expect(sut.msWithin).toBeCloseTo(0.5, 12);
    expect(sut.F).toBeCloseTo(5, 12);
  });
});
