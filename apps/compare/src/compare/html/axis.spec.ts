import fc from 'fast-check';
import { niceScale } from './axis.js';

describe(niceScale.name, () => {
  it('axis - round ticks around the values', () => {
    expect(niceScale(2.91, 4.31)).toMatchObject({ ticks: [2.5, 3, 3.5, 4, 4.5], decimals: 1 });
    expect(niceScale(0, 4.18)).toMatchObject({ ticks: [0, 2, 4, 6], decimals: 0 });
    expect(niceScale(212.4, 225.1)).toMatchObject({ ticks: [210, 215, 220, 225, 230] });
    expect(niceScale(0.012, 0.019)).toMatchObject({
      ticks: [0.012, 0.014, 0.016, 0.018, 0.02],
      decimals: 3,
    });
  });

  it('axis - equal values still get a range, zero stays the floor', () => {
    expect(niceScale(0, 0).ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceScale(5, 5).ticks[0]).toBeGreaterThanOrEqual(0);
  });

  it('axis - any non-negative range: 4-5 evenly spaced ticks covering it, none below zero', () => {
    const range = fc
      .tuple(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
      )
      .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
    fc.assert(
      fc.property(range, ([low, high]) => {
        const sut = niceScale(low, high);

        expect(sut.ticks.length).toBeGreaterThanOrEqual(4);
        expect(sut.ticks.length).toBeLessThanOrEqual(5);
        expect(sut.min).toBeLessThanOrEqual(low);
        expect(sut.max).toBeGreaterThanOrEqual(high);
        expect(sut.min).toBeGreaterThanOrEqual(0);
        const step = sut.ticks[1] - sut.ticks[0];
        sut.ticks.forEach((tick, i) => expect(tick).toBeCloseTo(sut.min + i * step, 6));
      }),
    );
  });
});
