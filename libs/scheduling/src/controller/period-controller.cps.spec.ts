import { addressOf } from '../core/address.js';
import {
  defaultSchedulerConfig,
  mergeSchedulerConfig,
  type SchedulerConfig,
} from '../config/scheduler-config.js';
import { eventsOf, sentOf } from '../testing/effect-queries.js';
import { scriptedRandom, type ScriptedRandom } from '../testing/scripted-network.js';
import { PeriodController } from './period-controller.js';
import { CpsRolePlanner } from './role-planner.js';

const EVENT = 10_000;
const MEMBERS = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'];
// With 8 members: min = 10 s x max(1, 0.25 x 8) = 20 s, max = 10 s x max(2, 0.5 x 8, 2 x 2) = 40 s.
const config: SchedulerConfig = mergeSchedulerConfig(defaultSchedulerConfig(EVENT), {
  cps: { roleDuration: { minEventsPerNode: 0.25, maxEventsPerNode: 0.5, minEvents: 1 } },
});

function cpsController(
  random: ScriptedRandom,
  overrides: SchedulerConfig = config,
): PeriodController {
  return new PeriodController(
    { node: 'n1', members: MEMBERS, config: overrides, random },
    new CpsRolePlanner(overrides, random),
    true,
  );
}

const idle = (module: 'sensor' | 'monitor', epoch: number) => ({
  type: 'module-idle' as const,
  module,
  epoch,
});

describe(`${PeriodController.name} (CPS)`, () => {
  it('controller - picks the initial role at random: a low draw makes a monitor', () => {
    const sut = cpsController(scriptedRandom(0.2, 0));
    const effects = sut.start(0);
    // The sensor, never active yet, first learns when it will be: after this 20 s period.
    expect(
      sentOf(effects, 'role').map((r) => [r.to.module, r.message.active, r.message.backInMs]),
    ).toEqual([
      ['sensor', false, 20_000],
      ['monitor', true, undefined],
    ]);
    expect(eventsOf(effects)).toContainEqual({
      type: 'role-switched',
      node: 'n1',
      role: 'monitor',
    });
    expect(sut.currentRole).toBe('monitor');
  });

  it('controller - a high draw makes a sensor', () => {
    const sut = cpsController(scriptedRandom(0.7, 0));
    sut.start(0);
    expect(sut.currentRole).toBe('sensor');
  });

  it('controller - draws the role duration between a min and a max that scale with the cluster', () => {
    const shortest = cpsController(scriptedRandom(0.2, 0));
    shortest.start(0);
    expect(shortest.periodEnd).toBe(20_000);
    const longest = cpsController(scriptedRandom(0.2, 0.5));
    longest.start(0);
    expect(longest.periodEnd).toBe(30_000);
  });

  it('controller - uses the static duration when one is configured', () => {
    const staticConfig = mergeSchedulerConfig(config, { cps: { roleDuration: { ms: 45_000 } } });
    const sut = cpsController(scriptedRandom(0.2), staticConfig);
    sut.start(0);
    expect(sut.periodEnd).toBe(45_000);
  });

  it('controller - gives the sensor period that follows a monitor period the same duration', () => {
    const sut = cpsController(scriptedRandom(0.2, 0.25)); // monitor for 25 s
    sut.start(0);
    const standDown = sut.wake(25_000);
    expect(sentOf(standDown, 'role').map((r) => [r.to.module, r.message.active])).toEqual([
      ['monitor', false],
    ]);
    const epoch = sentOf(standDown, 'role')[0].message.epoch;
    sut.receive(addressOf('n1', 'monitor'), idle('monitor', epoch), 27_000);
    expect(sut.currentRole).toBe('sensor');
    expect(sut.periodEnd).toBe(27_000 + 25_000);
  });

  it('controller - follows a sensor period with a monitor period of a new draw', () => {
    const random = scriptedRandom(0.7, 0); // sensor for 20 s
    const sut = cpsController(random);
    sut.start(0);
    random.push(1); // the next monitor period: 40 s
    const standDown = sut.wake(20_000);
    const epoch = sentOf(standDown, 'role')[0].message.epoch;
    sut.receive(addressOf('n1', 'sensor'), idle('sensor', epoch), 20_500);
    expect(sut.currentRole).toBe('monitor');
    expect(sut.periodEnd).toBe(20_500 + 40_000);
  });

  it('controller - waits for the outgoing module to drain before activating the other', () => {
    const sut = cpsController(scriptedRandom(0.2, 0));
    sut.start(0);
    sut.wake(20_000);
    expect(sut.currentRole).toBeNull();
    // An idle report for an older command does not complete the switch.
    expect(
      sentOf(sut.receive(addressOf('n1', 'monitor'), idle('monitor', 0), 20_100), 'role'),
    ).toEqual([]);
    expect(sut.nextWakeAt()).toBe(20_000 + config.graceMs);
  });

  it('controller - completes the switch when the grace time runs out without an idle report', () => {
    const sut = cpsController(scriptedRandom(0.2, 0));
    sut.start(0);
    sut.wake(20_000);
    const effects = sut.wake(20_000 + config.graceMs);
    expect(eventsOf(effects)).toContainEqual({
      type: 'grace-expired',
      node: 'n1',
      module: 'monitor',
    });
    expect(sentOf(effects, 'role').map((r) => [r.to.module, r.message.active])).toEqual([
      ['sensor', true],
    ]);
  });

  it('controller - pings every member at the end of each sensor period', () => {
    const random = scriptedRandom(0.7, 0);
    const sut = cpsController(random);
    sut.start(0);
    random.push(0);
    const effects = sut.wake(20_000);
    expect(
      sentOf(effects, 'ping')
        .map((p) => p.to.node)
        .sort(),
    ).toEqual(MEMBERS.filter((m) => m !== 'n1').sort());
  });

  it('controller - does not run liveness checks at the end of a monitor period', () => {
    const sut = cpsController(scriptedRandom(0.2, 0));
    sut.start(0);
    expect(sentOf(sut.wake(20_000), 'ping')).toEqual([]);
  });
});
