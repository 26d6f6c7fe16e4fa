import { compareGroups } from './comparisons.js';
import type { WindowValue } from './window-values.js';

const BOUNDS = { cores: 2, memoryMiB: 24 * 1024 };

const series = (orchestrator: string, values: (number | null)[]): WindowValue[] =>
  values.map((value, index) => ({
    orchestrator,
    service: 'monitor',
    metric: 'cpuPercent',
    window: index + 1,
    value,
    ...(value === null ? { why: 'no samples' } : {}),
  }));

describe(compareGroups.name, () => {
  it('comparisons - groups in the given order with their values, ANOVA and pairs', () => {
    const values = [
      ...series('swarm', [5.1, 5.3, 4.9, 5.2, 5.0]),
      ...series('process', [3.0, 3.2, 2.9, 3.1, 3.0]),
    ];

    const [sut] = compareGroups(values, ['process', 'container', 'swarm'], BOUNDS);

    expect(sut.groups.map((group) => group.orchestrator)).toEqual(['process', 'swarm']);
    expect(sut.groups[0]).toMatchObject({
      n: 5,
      values: [3.0, 3.2, 2.9, 3.1, 3.0],
      windows: [1, 2, 3, 4, 5],
    });
    expect(sut.groups[0].mean).toBeCloseTo(3.04, 9);
    expect(sut.anova!.p).toBeLessThan(1e-6);
    expect(sut.anova).toMatchObject({ dfBetween: 1, dfWithin: 8 });
    expect(sut.tukey).toHaveLength(1);
    expect(sut.tukey[0]).toMatchObject({ a: 'process', b: 'swarm' });
    expect(sut.tukey[0].diff).toBeCloseTo(3.04 - 5.1, 9);
    expect(sut.note).toBeNull();
  });

  it('comparisons - a value beyond the cores is flagged and left out; then the counts differ', () => {
    const values = [...series('process', [3, 3.1, 2.9]), ...series('swarm', [5, 900, 5.2])];

    const [sut] = compareGroups(values, ['process', 'swarm'], BOUNDS);

    expect(sut.flags).toEqual([
      {
        orchestrator: 'swarm',
        window: 2,
        value: 900,
        rule: 'must be at most 200 (% of one core on 2 cores)',
      },
    ]);
    expect(sut.anova).toBeNull();
    expect(sut.groups[1]).toMatchObject({ values: [5, 5.2], windows: [1, 3] });
    expect(sut.note).toContain(
      'not compared: the groups have different window counts (process 3, swarm 2)',
    );
  });

  it("comparisons - memory above the containers' own limits is flagged", () => {
    const values = [0, 1, 2].map((window) => ({
      orchestrator: 'container',
      service: 'gateway',
      metric: 'rssMiB' as const,
      window: window + 1,
      value: window === 1 ? 600 : 90,
      limit: 512,
    }));

    const [sut] = compareGroups(values, ['container'], BOUNDS);

    expect(sut.flags).toEqual([
      {
        orchestrator: 'container',
        window: 2,
        value: 600,
        rule: "must be at most the containers' memory limits (512 MiB together)",
      },
    ]);
  });

  it('comparisons - traffic below the probe traffic the results report is flagged', () => {
    const values = [0, 1, 2].map((window) => ({
      orchestrator: 'container',
      service: 'monitor',
      metric: 'netKBps' as const,
      window: window + 1,
      value: window === 2 ? 9.5 : 10,
      minimum: 10,
    }));

    const [sut] = compareGroups(values, ['container'], BOUNDS);

    expect(sut.flags).toEqual([
      {
        orchestrator: 'container',
        window: 3,
        value: 9.5,
        rule: 'must be at least the probe traffic the results themselves report (10.0 kB/s)',
      },
    ]);
    expect(sut.groups[0].values).toEqual([10, 10]);
  });

  it('comparisons - windows without a value are named, not compared', () => {
    const values = [...series('process', [3, null, 2.9]), ...series('swarm', [5, 5.1, 5.2])];

    const [sut] = compareGroups(values, ['process', 'swarm'], BOUNDS);

    expect(sut.anova).toBeNull();
    expect(sut.note).toContain('process: 1 window(s) without a value (no samples)');
  });
});
