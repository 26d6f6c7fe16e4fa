/**
 * The seed thesis's own tables as fixtures: what its means and sds give, against what it
 * printed. Everything in tables 5.9/5.10 and appendix 9.2 follows from tables 5.1-5.6;
 * the "95 % CI" column and the post-hoc conclusions do not (see the last two blocks).
 */
import { analyseSummaries } from './anova-report.js';
import { meanConfidenceInterval } from './describe-groups.js';
import { tQuantile } from './distributions.js';
import { THESIS_CASES, THESIS_N } from './testing/thesis-tables.js';

const relativeError = (actual: number, expected: number) =>
  Math.abs(actual - expected) / Math.abs(expected);

describe('the seed thesis tables', () => {
  it('Table 5.1, CPU one-to-one with 2 users - gives F = 3758.55 and the appendix standard error 0.1039', () => {
    const sut = analyseSummaries(THESIS_CASES[0].groups);

    expect(sut.anova.F).toBeCloseTo(3758.55, 2);
    expect(sut.anova.dfBetween).toBe(2);
    expect(sut.anova.dfWithin).toBe(87);
    expect(sut.seDiff).toBeCloseTo(0.1039, 4);
  });

  describe.each(THESIS_CASES.map((c) => [`${c.table}, ${c.label}`, c] as const))('%s', (_, c) => {
    const sut = analyseSummaries(c.groups);

    it('tables 5.9/5.10 - F, p and F critical follow from the means and sds', () => {
      // The tables' means are rounded (7.946222), Excel worked from the raw samples: the
      // F values agree to 1e-6, the p-values to their printed digits.
      expect(relativeError(sut.anova.F, c.anova.F)).toBeLessThan(1e-6);
      expect(relativeError(sut.anova.p, c.anova.p)).toBeLessThan(1e-3);
      expect(relativeError(sut.anova.fCritical, c.anova.fCritical)).toBeLessThan(2e-7);
    });

    it('appendix 9.2 - MSw and the standard error of differences follow', () => {
      expect(relativeError(sut.anova.msWithin, c.appendix.msWithin)).toBeLessThan(1e-6);
      expect(relativeError(sut.seDiff!, c.appendix.standardError)).toBeLessThan(1e-6);
      // ...and the appendix's SE is its own MSw through √(2 · MSw / n).
      const fromItsMsWithin = Math.sqrt((2 * c.appendix.msWithin) / THESIS_N);
      expect(relativeError(c.appendix.standardError, fromItsMsWithin)).toBeLessThan(1e-8);
    });

    it('appendix 9.2 - the mean differences are the Tukey pairs differences', () => {
      // The appendix repeats some means with more digits than the tables (4.253111333
      // for 4.253111, 148.6333333 for 148.6333): agreement to the tables' digits.
      c.appendix.means.forEach((mean, i) => {
        expect(relativeError(c.groups[i].mean, mean)).toBeLessThan(1e-6);
      });
      sut.tukey.forEach((pair, i) => {
        expect(relativeError(Math.abs(pair.diff), c.appendix.absDiffs[i])).toBeLessThan(1e-5);
      });
    });

    it('tables 5.1-5.6 - the "95 % CI" is 1.96 sd/√n, narrower than the t interval', () => {
      // The seed printed e.g. "+/- 0.200407641" for sd 0.56004: that is z = 1.96, not
      // t(0.975, 29) = 2.0452, so its intervals are 4.3 % too narrow for n = 30.
      c.groups.forEach((group, i) => {
        const z = (1.96 * group.sd) / Math.sqrt(group.n);
        // Some sds are printed to 5 digits (0.020412), hence 1e-5.
        expect(relativeError(c.ciHalfWidths[i], z)).toBeLessThan(1e-5);
        const { halfWidth } = meanConfidenceInterval(group);
        expect(halfWidth / c.ciHalfWidths[i]).toBeCloseTo(tQuantile(0.975, 29) / 1.96, 4);
      });
    });
  });

  it('section 5.5 - "difference > standard error" is not a significant difference: Tukey finds six of them within chance', () => {
    // The seed: "a group is significantly different when mean difference is more times
    // the standard error", e.g. Table 5.1 no orchestration vs Docker Swarm, 0.130542406 >
    // 0.103872232. Tukey's HSD, which controls the family-wise error, says otherwise.
    const beyondOneSe = THESIS_CASES.flatMap((c) => {
      const { tukey, seDiff } = analyseSummaries(c.groups);
      return tukey
        .filter((pair) => Math.abs(pair.diff) > seDiff! && pair.pAdjusted > 0.05)
        .map((pair) => `${c.label}: ${pair.a} vs ${pair.b}, p ${pair.pAdjusted.toFixed(3)}`);
    });

    expect(beyondOneSe).toEqual([
      'CPU %, one-to-one, 2 users: No orchestration vs Docker Swarm, p 0.423',
      'CPU %, one-to-one, 14 users: No orchestration vs Docker Swarm, p 0.543',
      'CPU %, one-to-many, 8 users: No orchestration vs Docker Swarm, p 0.084',
      'memory %, one-to-many, 8 users: No orchestration vs Kubernetes, p 0.093',
      'network Kb/s, one-to-one, 14 users: No orchestration vs Docker Swarm, p 0.199',
      'network Kb/s, one-to-many, 2 users: No orchestration vs Docker Swarm, p 0.396',
    ]);
  });

  it('section 5.5 - with variances a thousand times apart, Games-Howell finds a difference the pooled tests miss', () => {
    // Table 5.3, 14 users: sd 0.147 (no orchestration) against 4.82 (Swarm) and 22.6
    // (Kubernetes). The seed's |diff| 2.514116511 < SE 3.442178825, and Tukey agrees
    // (p 0.75); with each pair's own variance the difference is significant.
    const sut = analyseSummaries(THESIS_CASES[5].groups);
    const tukey = sut.tukey.find((pair) => pair.b === 'Docker Swarm' && pair.a !== 'Kubernetes')!;
    const gamesHowell = sut.gamesHowell!.find((pair) => pair.a === tukey.a && pair.b === tukey.b)!;

    expect(tukey.pAdjusted).toBeCloseTo(0.746, 3);
    expect(gamesHowell.pAdjusted).toBeCloseTo(0.0207, 3);
  });
});
