import {
  formatFigure,
  formatP,
  formatPercent,
  formatStartedAt,
  pClause,
} from './format-figures.js';

describe(formatFigure.name, () => {
  it('figures - three significant digits, at least two decimals below 10', () => {
    const values = [3.0412, 0.5, 5, 0.01234, 12.34, 214.1, 4567, -0.5703, -1.1432, 0];

    const sut = values.map(formatFigure);

    expect(sut).toEqual([
      '3.04',
      '0.500',
      '5.00',
      '0.0123',
      '12.3',
      '214',
      '4570',
      '-0.570',
      '-1.14',
      '0.00',
    ]);
  });

  it('figures - decimals follow the rounded value, never exponent notation', () => {
    const values = [9.996, 99.96, 0.000001234, 12_345_678];

    const sut = values.map(formatFigure);

    expect(sut).toEqual(['10.0', '100', '0.00000123', '12300000']);
  });

  it('figures - a missing or infinite figure is a dash', () => {
    expect([null, Number.NaN, Infinity].map(formatFigure)).toEqual(['–', '–', '–']);
  });
});

describe(formatP.name, () => {
  it('p-values - "< 0.001" below 0.001, otherwise three decimals', () => {
    const values = [3.5e-85, 0.00099, 0.001, 0.04567, 0.9544];

    const sut = values.map(formatP);

    expect(sut).toEqual(['< 0.001', '< 0.001', '0.001', '0.046', '0.954']);
    expect(values.map(pClause)).toEqual([
      'p < 0.001',
      'p < 0.001',
      'p = 0.001',
      'p = 0.046',
      'p = 0.954',
    ]);
  });
});

describe(formatPercent.name, () => {
  it('percentages - a fraction as a figure with a percent sign', () => {
    expect([0.034, 0.0012, 1.5, null].map(formatPercent)).toEqual([
      '3.40 %',
      '0.120 %',
      '150 %',
      '–',
    ]);
  });
});

describe(formatStartedAt.name, () => {
  it('dates - UTC to the minute', () => {
    expect(formatStartedAt(Date.UTC(2025, 4, 12, 9, 30, 41))).toBe('2025-05-12 09:30 UTC');
  });
});
