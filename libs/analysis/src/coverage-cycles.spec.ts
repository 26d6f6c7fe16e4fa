import { coverageCycles } from './coverage-cycles.js';

const pair = (monitor: string, sensor: string) => ({ monitor, sensor, sinceSeconds: 0 });
const at = (monitor: string, sensor: string, endSeconds: number) => ({
  monitor,
  sensor,
  startSeconds: endSeconds - 1,
  endSeconds,
});
const scope = [pair('a', 'b'), pair('b', 'a'), pair('a', 'c')];

describe(coverageCycles.name, () => {
  it('coverage cycles - a cycle ends at the measurement that completes every pair; the next starts there', () => {
    const cycles = coverageCycles(
      [at('a', 'b', 10), at('a', 'b', 12), at('b', 'a', 20), at('a', 'c', 30), at('b', 'a', 35)],
      scope,
    );
    expect(cycles).toEqual({
      completed: 1,
      lastCycleSeconds: 30,
      currentStartSeconds: 30,
      currentCoverage: 1 / 3,
    });
  });

  it('coverage cycles - the last completed cycle is the one reported; order of arrival does not matter', () => {
    const records = [
      at('a', 'c', 5),
      at('b', 'a', 8),
      at('a', 'b', 9),
      at('a', 'c', 14),
      at('a', 'b', 15),
      at('b', 'a', 21),
    ];
    expect(coverageCycles([...records].reverse(), scope)).toMatchObject({
      completed: 2,
      lastCycleSeconds: 12,
      currentCoverage: 0,
    });
  });

  it('coverage cycles - pairs outside the scope do not count; an empty scope never completes', () => {
    expect(coverageCycles([at('c', 'a', 3)], scope).currentCoverage).toBe(0);
    expect(coverageCycles([at('a', 'b', 3)], [])).toEqual({
      completed: 0,
      lastCycleSeconds: null,
      currentStartSeconds: 0,
      currentCoverage: 0,
    });
  });
});
