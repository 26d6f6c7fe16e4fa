import {
  fQuantile,
  fUpperTail,
  studentizedRangeQuantile,
  studentizedRangeUpperTail,
  tQuantile,
} from './distributions.js';

describe('distributions', () => {
  it('distributions - the F tail stays exact far below 1e-16', () => {
    // Excel F.DIST.RT as printed in the seed's Table 5.9: 3.49541E-85 and 0.001634024.
    expect(fUpperTail(3758.551797, 2, 87) / 3.49541e-85).toBeCloseTo(1, 5);
    expect(fUpperTail(6.914130333, 2, 87)).toBeCloseTo(0.001634024, 9);
    expect(fUpperTail(0, 2, 87)).toBe(1);
    expect(fUpperTail(Infinity, 2, 87)).toBe(0);
  });

  it('distributions - quantiles: critical F, t and studentized range', () => {
    // The seed's F critical value 3.101295757; t(0.975, 29) = 2.045230 and
    // qtukey(0.95, 3, 27) = 3.506426 from the standard tables.
    expect(fQuantile(0.95, 2, 87)).toBeCloseTo(3.101295757, 8);
    expect(tQuantile(0.975, 29)).toBeCloseTo(2.04523, 5);
    expect(studentizedRangeQuantile(0.95, 3, 27)).toBeCloseTo(3.506426, 5);
  });

  it('distributions - the studentized range of 2 means is |t| · √2: how close jstat gets', () => {
    // P(Q₂ > √2 t) = P(|T| > t) exactly. jstat's port of R's ptukey (Copenhaver and
    // Holland 1988) is a numerical integral: within 2e-6 from 5 degrees of freedom up,
    // 7.2e-4 at 2 (near p = 0.001). Decisions are made near p = 0.05, and the
    // comparison's groups (30 samples each) have df near 29 or 87.
    const ts = Array.from({ length: 420 }, (_, i) => 0.05 * 1.02 ** i);
    const worstError = (degrees: number[]) =>
      Math.max(
        ...degrees.flatMap((df) =>
          ts.map((t) => {
            // P(|T| > t) with T ~ t(df) is P(F > t²) with F ~ F(1, df).
            const twoSided = fUpperTail(t * t, 1, df);
            return Math.abs(studentizedRangeUpperTail(t * Math.SQRT2, 2, df) - twoSided);
          }),
        ),
      );

    expect(worstError([5, 8, 13, 29, 87, 500])).toBeLessThan(2e-6);
    expect(worstError([2, 2.5, 3, 4])).toBeLessThan(1e-3);
  });

  it('distributions - the studentized range tail against SciPy for 3 to 6 means', () => {
    // scipy.stats.studentized_range.sf(q, k, df), SciPy 1.17 (its own integration).
    const reference: Array<[number, number, number, number, number]> = [
      // k, df, q, P(Q > q), tolerance
      [3, 29, 3.5, 0.049434624717898945, 1e-8],
      [3, 87, 3.5, 0.040090863079070505, 1e-8],
      [4, 10, 15, 4.633197509207321e-6, 1e-8],
      [6, 10, 20, 6.786944087844304e-7, 1e-8],
      [3, 5, 4, 0.0797356961256166, 5e-6],
      [4, 5, 20, 0.00012412552310170355, 5e-6],
      [6, 5, 40, 7.462525847157231e-6, 5e-6],
    ];

    for (const [k, df, q, p, tolerance] of reference) {
      expect(Math.abs(studentizedRangeUpperTail(q, k, df) - p)).toBeLessThan(tolerance);
    }
  });
});
