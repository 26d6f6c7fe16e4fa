import { summariseValues } from './describe-groups.js';
import { gamesHowell } from './games-howell.js';
import { INSECT_SPRAYS, PLANT_GROWTH } from './testing/r-datasets.js';

describe(gamesHowell.name, () => {
  it('Games-Howell - statistic and differences match the published InsectSprays results', () => {
    // aschleg/hypothetical, tests/test_posthoc.py (after the R implementation on RPubs,
    // rpubs.com/aaronsc32/games-howell-test): mean differences (b - a) and t values for
    // the 15 pairs A:B ... E:F. Its t is |diff| / √(sₐ²/nₐ + s_b²/n_b), our q is t·√2.
    const published = [
      [0.8333333333333339, 0.45352438521873684],
      [-12.416666666666666, 8.407339499090465],
      [-9.583333333333332, 6.214359489959841],
      [-11.0, 7.579791383017868],
      [2.166666666666668, 0.9619438590966518],
      [-13.25, 9.753917079412913],
      [-10.416666666666668, 7.289021195232187],
      [-11.833333333333334, 8.89397045271091],
      [1.333333333333334, 0.6125900134023213],
      [2.8333333333333335, 3.078215365445631],
      [1.4166666666666665, 1.8680395871105286],
      [14.583333333333334, 7.748439687475623],
      [-1.416666666666667, 1.6122487000489365],
      [11.75, 6.076375289078413],
      [13.166666666666668, 7.07111931253599],
    ];

    const sut = gamesHowell(INSECT_SPRAYS.map(summariseValues))!;

    expect(sut).toHaveLength(15);
    sut.forEach((pair, i) => {
      const [diff, t] = published[i];
      expect(-pair.diff).toBeCloseTo(diff, 10);
      expect(pair.q / Math.SQRT2).toBeCloseTo(t, 10);
    });
  });

  it('Games-Howell - adjusted p-values on InsectSprays match the studentized range of SciPy', () => {
    // No published p-values came with the figures above: these are SciPy 1.17's
    // scipy.stats.studentized_range.sf(q, 6, df), an implementation independent of
    // jstat's port of R's ptukey, with Welch's df per pair.
    const expected: Record<string, [number, number]> = {
      'A-B': [21.784430812659465, 0.9972482341459898],
      'A-C': [14.739011598050245, 6.59218763898739e-6],
      'C-D': [20.87185430393803, 0.05566776950136387],
      'D-E': [19.569571035212817, 0.6005952534836063],
      'E-F': [12.699314767738167, 0.00011043278955791269],
    };

    const sut = gamesHowell(INSECT_SPRAYS.map(summariseValues))!;

    for (const pair of sut.filter(({ a, b }) => `${a}-${b}` in expected)) {
      const [df, p] = expected[`${pair.a}-${pair.b}`];
      expect(pair.df).toBeCloseTo(df, 9);
      // 1 - cdf near 1e-5 keeps about 6 significant digits.
      expect(Math.abs(pair.pAdjusted - p) / p).toBeLessThan(1e-5);
    }
  });

  it('Games-Howell - PlantGrowth pairs and intervals, also with unequal n', () => {
    // Reference: SciPy 1.17 (studentized_range.sf and .ppf) with the Games-Howell formulas
    // of Games and Howell (1976): q = |diff| / √((sₐ²/nₐ + s_b²/n_b) / 2), Welch's df.
    const equal = gamesHowell(PLANT_GROWTH.map(summariseValues))!;
    const unequal = gamesHowell(
      [
        { name: 'ctrl', values: PLANT_GROWTH[0].values },
        { name: 'trt1', values: PLANT_GROWTH[1].values.slice(0, 7) },
        { name: 'trt2', values: PLANT_GROWTH[2].values.slice(0, 5) },
      ].map(summariseValues),
    )!;

    const expected = [
      [
        equal[0],
        0.371,
        1.684696588328185,
        16.5235850568593,
        0.4745549221939487,
        -0.43008751452242544,
        1.1720875145224245,
      ],
      [
        equal[2],
        -0.865,
        4.256922182351754,
        14.103569122760339,
        0.023703454738939533,
        -1.6164870112983378,
        -0.1135129887016626,
      ],
      [
        unequal[1],
        -0.536,
        2.7904263827376394,
        10.3855801372899,
        0.16755348176523122,
        -1.276155111108499,
        0.20415511110849804,
      ],
    ] as const;
    for (const [pair, diff, q, df, p, lower, upper] of expected) {
      expect(pair.diff).toBeCloseTo(diff, 10);
      expect(pair.q).toBeCloseTo(q, 10);
      expect(pair.df).toBeCloseTo(df, 9);
      expect(pair.pAdjusted).toBeCloseTo(p, 8);
      expect(pair.ciLower).toBeCloseTo(lower, 6);
      expect(pair.ciUpper).toBeCloseTo(upper, 6);
    }
  });

  it('Games-Howell - is not computed when a group has sd 0', () => {
    const sut = gamesHowell([
      { name: 'a', n: 5, mean: 1, sd: 0 },
      { name: 'b', n: 5, mean: 2, sd: 1 },
      { name: 'c', n: 5, mean: 2, sd: 1 },
    ]);

    expect(sut).toBeNull();
  });
});
