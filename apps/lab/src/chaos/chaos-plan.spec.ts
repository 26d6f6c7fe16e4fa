import { describe, expect, it } from '@jest/globals';
import { schedulerConfigForProbe } from '@meshmon/node-agent';
import { FAULT_NAMES, cycleSeconds, planFaults } from './chaos-plan.js';

describe(planFaults.name, () => {
  const config = schedulerConfigForProbe(2);

  it('chaos plan - every fault of the issue, in order, each with a bound from the settings', () => {
    const plans = planFaults({ nodes: 4, quick: true, config });
    expect(plans.map((plan) => plan.fault)).toEqual([...FAULT_NAMES]);
    // A full CPS cycle at 4 nodes and 2.4 s events: the thesis's 5.15 min, scaled.
    expect(cycleSeconds(4, config.eventMs)).toBeCloseTo(5.1536 * 60 * (2400 / 13_450), 6);
    const monitor = plans.find((plan) => plan.fault === 'monitor-killed')!;
    expect(monitor.boundSeconds).toBe(Math.ceil(10 + config.lockMs / 1000 + cycleSeconds(4, 2400)));
  });

  it('chaos plan - a full run holds InfluxDB down 60 s and floods 30 s; a quick one 15 s and 10 s', () => {
    const hold = (quick: boolean, fault: string) =>
      planFaults({ nodes: 4, quick, config }).find((plan) => plan.fault === fault)!.holdSeconds;
    expect([hold(false, 'influxdb-stopped'), hold(false, 'flood-valid')]).toEqual([60, 30]);
    expect([hold(true, 'influxdb-stopped'), hold(true, 'flood-malformed')]).toEqual([15, 10]);
  });

  it('chaos plan - a node is cut off for longer than the liveness interval', () => {
    const cut = planFaults({ nodes: 4, quick: false, config }).find(
      (plan) => plan.fault === 'node-cut-off',
    )!;
    expect(cut.holdSeconds).toBeGreaterThan(config.livenessIntervalMs / 1000);
  });
});
