import { defaultSchedulerConfig, mergeSchedulerConfig } from '../config/scheduler-config.js';
import { addressOf } from '../core/address.js';
import type { Effect } from '../core/effects.js';
import { scriptedRandom, type ScriptedRandom } from '../testing/scripted-network.js';
import { PeriodController } from './period-controller.js';
import { CrsRolePlanner } from './role-planner.js';

// Liveness checks are pushed out of the way: these tests are about the role periods.
const config = mergeSchedulerConfig(defaultSchedulerConfig(1000), {
  livenessIntervalMs: 1e9,
  crs: { periodMs: 4000, threshold: 0.5 },
});
const periodMs = config.crs.periodMs;

const roleCommands = (effects: readonly Effect[]) =>
  effects.flatMap((effect) =>
    effect.kind === 'send' && effect.message.type === 'role'
      ? [{ to: effect.to.module, active: effect.message.active, epoch: effect.message.epoch }]
      : [],
  );

describe(`${PeriodController.name} (CRS)`, () => {
  let random: ScriptedRandom;
  let sut: PeriodController;

  beforeEach(() => {
    random = scriptedRandom();
    sut = new PeriodController(
      { node: 'n1', members: ['n1', 'n2', 'n3'], config, random },
      new CrsRolePlanner(config, random),
      false,
    );
  });

  it('crs - a draw above the threshold makes a monitor', () => {
    random.push(0.51);

    const effects = sut.start(0);

    // The sensor, never active yet, first learns when it will be: after this period.
    expect(roleCommands(effects)).toEqual([
      { to: 'sensor', active: false, epoch: 1 },
      { to: 'monitor', active: true, epoch: 2 },
    ]);
    expect(sut.currentRole).toBe('monitor');
  });

  it.each([0.5, 0.2, 0])('crs - a draw of %p makes a sensor', (draw) => {
    random.push(draw);

    const effects = sut.start(0);

    expect(roleCommands(effects)).toEqual([{ to: 'sensor', active: true, epoch: 1 }]);
    expect(sut.currentRole).toBe('sensor');
  });

  it('crs - draws again only once the period is over', () => {
    random.push(0.9);
    sut.start(0);

    expect(sut.nextWakeAt()).toBe(periodMs);
    sut.wake(periodMs - 1);
    expect(random.remaining).toEqual([]);

    random.push(0.9);
    sut.wake(periodMs);
    expect(random.remaining).toEqual([]);
  });

  it('crs - keeps the role without any switch command when the new draw gives the same role', () => {
    random.push(0.9, 0.7);
    sut.start(0);

    const effects = sut.wake(periodMs);

    expect(roleCommands(effects)).toEqual([]);
    expect(sut.currentRole).toBe('monitor');
    expect(sut.periodEnd).toBe(2 * periodMs);
  });

  it('crs - stands the monitor down and activates the sensor once the monitor reports idle', () => {
    random.push(0.9, 0.1);
    sut.start(0);

    const standDown = sut.wake(periodMs);
    expect(roleCommands(standDown)).toEqual([{ to: 'monitor', active: false, epoch: 3 }]);
    expect(sut.currentRole).toBeNull();

    const idleAt = periodMs + 300;
    const switched = sut.receive(
      addressOf('n1', 'monitor'),
      { type: 'module-idle', module: 'monitor', epoch: 3 },
      idleAt,
    );

    expect(roleCommands(switched)).toEqual([{ to: 'sensor', active: true, epoch: 4 }]);
    expect(switched).toContainEqual({
      kind: 'event',
      event: { type: 'role-switched', node: 'n1', role: 'sensor' },
    });
    expect(sut.currentRole).toBe('sensor');
    // The new period runs from the moment the role actually started.
    expect(sut.periodEnd).toBe(idleAt + periodMs);
  });

  it('crs - ignores an idle report from the wrong module or an older command', () => {
    random.push(0.9, 0.1);
    sut.start(0);
    sut.wake(periodMs);

    const wrongModule = sut.receive(
      addressOf('n1', 'sensor'),
      { type: 'module-idle', module: 'sensor', epoch: 2 },
      periodMs + 1,
    );
    const olderCommand = sut.receive(
      addressOf('n1', 'monitor'),
      { type: 'module-idle', module: 'monitor', epoch: 1 },
      periodMs + 2,
    );

    expect([...wrongModule, ...olderCommand]).toEqual([]);
    expect(sut.currentRole).toBeNull();
  });

  it('crs - draws nothing while a switch waits for the idle report', () => {
    random.push(0.9, 0.1);
    sut.start(0);
    sut.wake(periodMs);

    // Only the grace deadline is pending; waking before it neither draws nor switches.
    expect(sut.nextWakeAt()).toBe(periodMs + config.graceMs);
    expect(sut.wake(periodMs + config.graceMs - 1)).toEqual([]);
  });

  it('crs - completes the switch at the end of the grace time when the idle report is lost', () => {
    random.push(0.1, 0.9);
    sut.start(0);
    sut.wake(periodMs);

    const effects = sut.wake(periodMs + config.graceMs);

    expect(effects).toContainEqual({
      kind: 'event',
      event: { type: 'grace-expired', node: 'n1', module: 'sensor' },
    });
    expect(roleCommands(effects)).toEqual([{ to: 'monitor', active: true, epoch: 3 }]);
    expect(sut.periodEnd).toBe(periodMs + config.graceMs + periodMs);
  });
});
