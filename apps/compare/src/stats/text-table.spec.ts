import { formatNumber, formatP, textTable } from './text-table.js';

describe(textTable.name, () => {
  it('text table - names left, numbers right, two spaces apart', () => {
    expect(
      textTable([
        ['group', 'n', 'mean'],
        ['Kubernetes', '30', '0.08'],
        ['none', '5', '12.5'],
      ]),
    ).toBe(['group        n  mean', 'Kubernetes  30  0.08', 'none         5  12.5'].join('\n'));
  });

  it('text table - numbers to six digits, p-values with their floor', () => {
    expect(formatNumber(3758.5493908541744)).toBe('3758.55');
    expect(formatNumber(0.16184171270963338)).toBe('0.161842');
    expect(formatNumber(3.4955e-85)).toBe('3.496e-85');
    expect(formatNumber(0)).toBe('0');
    expect(formatP(0.4234197579505471)).toBe('0.4234');
    expect(formatP(3.4955e-85)).toBe('3.50e-85');
    expect(formatP(3.57e-10, 1e-8)).toBe('<1e-8');
  });
});
