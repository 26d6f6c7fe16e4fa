import {
  defaultSchedulerConfig,
  mergeSchedulerConfig,
  roleDurationBounds,
  validateSchedulerConfig,
} from './scheduler-config.js';

describe('scheduler config', () => {
  it('config - the defaults are valid', () => {
    expect(validateSchedulerConfig(defaultSchedulerConfig())).toEqual([]);
  });

  it('config - names every broken field and its rule at once', () => {
    const broken = mergeSchedulerConfig(defaultSchedulerConfig(), {
      eventMs: -1,
      graceMs: 1,
      crs: { threshold: 1.5 },
      cps: { listeningMs: Number.NaN },
      rr: { tokenPassAttempts: 0.5 },
    });
    const fields = validateSchedulerConfig(broken).map((problem) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'eventMs',
        'graceMs',
        'crs.threshold',
        'cps.listeningMs',
        'rr.tokenPassAttempts',
      ]),
    );
    expect(validateSchedulerConfig(broken).find((p) => p.field === 'graceMs')?.rule).toMatch(
      /lockMs/,
    );
  });

  it('config - rejects a lock shorter than one event', () => {
    const problems = validateSchedulerConfig(
      mergeSchedulerConfig(defaultSchedulerConfig(10_000), { lockMs: 5000, graceMs: 5000 }),
    );
    expect(problems).toContainEqual({
      field: 'lockMs',
      rule: 'must be >= eventMs so one event fits in a lock',
    });
  });

  it('config - a role duration given as milliseconds alone is static', () => {
    const config = mergeSchedulerConfig(defaultSchedulerConfig(), {
      cps: { roleDuration: { ms: 30_000 } },
    });
    expect(config.cps.roleDuration).toEqual({ mode: 'static', ms: 30_000 });
    expect(roleDurationBounds(config, 100)).toEqual({ min: 30_000, max: 30_000 });
  });

  it('config - random role bounds grow with the cluster and never collapse to one value', () => {
    const config = mergeSchedulerConfig(defaultSchedulerConfig(10_000), {
      cps: { roleDuration: { minEventsPerNode: 0.25, maxEventsPerNode: 0.5, minEvents: 1 } },
    });
    expect(roleDurationBounds(config, 4)).toEqual({ min: 10_000, max: 20_000 });
    expect(roleDurationBounds(config, 32)).toEqual({ min: 80_000, max: 160_000 });
    const narrow = mergeSchedulerConfig(config, {
      cps: { roleDuration: { minEventsPerNode: 0.5, maxEventsPerNode: 0.5 } },
    });
    const bounds = roleDurationBounds(narrow, 16);
    expect(bounds.max).toBeGreaterThanOrEqual(2 * bounds.min);
  });
});
