import {
  defaultSchedulerConfig,
  mergeSchedulerConfig,
  roleDurationBounds,
} from '../config/scheduler-config.js';
import { addressOf, type Address, type NodeId } from '../core/address.js';
import { send, type Effect } from '../core/effects.js';
import type { SchedulerMachine } from '../core/machine.js';
import type { SchedulerMessage } from '../core/messages.js';
import { viewIdOf } from '../membership/view-id.js';
import {
  ScriptedNetwork,
  scriptedRandom,
  type ScriptedRandom,
} from '../testing/scripted-network.js';
import { ControllerMachine } from './controller-machine.js';
import { PeriodController } from './period-controller.js';
import { CpsRolePlanner, CrsRolePlanner } from './role-planner.js';
import { eventsOf } from '../testing/effect-queries.js';

const config = mergeSchedulerConfig(defaultSchedulerConfig(1000), {
  pingTimeoutMs: 2000,
  pingAttempts: 3,
  livenessFailuresToRemove: 2,
  livenessIntervalMs: 30_000,
  livenessIntervalPerMemberMs: 1000,
  // One CRS period outlasts every test, so no role draw happens after the first.
  crs: { periodMs: 1e9, threshold: 0.5 },
});
const intervalMs = config.livenessIntervalMs;
const checkMs = config.pingAttempts * config.pingTimeoutMs;
const members = ['n1', 'n2', 'n3'];

const from = (node: NodeId): Address => addressOf(node, 'controller');

const sent = (effects: readonly Effect[], type: SchedulerMessage['type']) =>
  effects.flatMap((effect) =>
    effect.kind === 'send' && effect.message.type === type
      ? [{ to: `${effect.to.node}/${effect.to.module}`, message: effect.message }]
      : [],
  );
const membersUpdates = (effects: readonly Effect[]) =>
  sent(effects, 'members').map(({ to, message }) => ({
    to,
    members: message.type === 'members' ? message.members : null,
  }));

/** A controller stand-in that answers pings while `answering` is true. */
class PongResponder implements SchedulerMachine {
  readonly address: Address;
  answering = true;

  constructor(readonly node: NodeId) {
    this.address = from(node);
  }

  start(): Effect[] {
    return [];
  }

  receive(_from: Address, message: SchedulerMessage): Effect[] {
    if (message.type !== 'ping' || !this.answering) return [];
    return [send(from(message.from), { type: 'pong', from: this.node, nonce: message.nonce })];
  }

  wake(): Effect[] {
    return [];
  }

  nextWakeAt(): null {
    return null;
  }
}

describe(`${ControllerMachine.name} membership (interval checks, CRS)`, () => {
  let random: ScriptedRandom;
  let sut: PeriodController;

  const crsController = (initial: readonly NodeId[] = members): PeriodController =>
    new PeriodController(
      { node: 'n1', members: initial, config, random },
      new CrsRolePlanner(config, random),
      false,
    );

  beforeEach(() => {
    random = scriptedRandom(0.9);
    sut = crsController();
    sut.start(0);
  });

  it('membership - answers a hello with a welcome and adds the node at once', () => {
    const effects = sut.receive(from('n4'), { type: 'hello', node: 'n4' }, 100);

    expect(sent(effects, 'welcome')).toEqual([
      { to: 'n4/controller', message: { type: 'welcome', node: 'n1' } },
    ]);
    expect(eventsOf(effects)).toEqual([{ type: 'member-joined', node: 'n1', member: 'n4' }]);
    expect(membersUpdates(effects)).toEqual([
      { to: 'n1/monitor', members: ['n1', 'n2', 'n3', 'n4'] },
      { to: 'n1/sensor', members: ['n1', 'n2', 'n3', 'n4'] },
    ]);
  });

  it('membership - ignores its own hello', () => {
    expect(sut.receive(from('n1'), { type: 'hello', node: 'n1' }, 100)).toEqual([]);
  });

  it('membership - adds a node that welcomes it', () => {
    const effects = sut.receive(from('n4'), { type: 'welcome', node: 'n4' }, 100);

    expect(eventsOf(effects)).toEqual([{ type: 'member-joined', node: 'n1', member: 'n4' }]);
    expect(sut.members).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it('membership - a joining node says hello at start', () => {
    sut = new PeriodController(
      { node: 'n9', members: ['n9'], config, random: scriptedRandom(0.9), joining: true },
      new CrsRolePlanner(config, scriptedRandom(0.9)),
      false,
    );

    expect(sut.start(0)).toContainEqual({
      kind: 'broadcast',
      module: 'controller',
      message: { type: 'hello', node: 'n9' },
    });
  });

  it('membership - a node that knows no member says hello again each liveness interval until welcomed', () => {
    sut = new PeriodController(
      { node: 'n9', members: ['n9'], config, random: scriptedRandom(0.9) },
      new CrsRolePlanner(config, scriptedRandom(0.9)),
      false,
    );
    const hello = {
      kind: 'broadcast',
      module: 'controller',
      message: { type: 'hello', node: 'n9' },
    };

    expect(sut.start(0)).toContainEqual(hello);
    expect(sut.nextWakeAt()).toBeLessThanOrEqual(intervalMs);
    expect(sut.wake(intervalMs)).toContainEqual(hello);
    sut.receive(from('n2'), { type: 'welcome', node: 'n2' }, intervalMs + 10);
    expect(sut.wake(2 * intervalMs)).not.toContainEqual(hello);
  });

  it('membership - a node with members says no hello unless it joins', () => {
    const fresh = new PeriodController(
      { node: 'n1', members, config, random: scriptedRandom(0.9) },
      new CrsRolePlanner(config, scriptedRandom(0.9)),
      false,
    );

    const effects = fresh.start(0);

    expect(effects.filter((effect) => effect.kind === 'broadcast')).toEqual([]);
  });

  it('membership - removes a member that says goodbye at once', () => {
    const effects = sut.receive(from('n3'), { type: 'goodbye', node: 'n3' }, 100);

    expect(eventsOf(effects)).toEqual([
      { type: 'member-removed', node: 'n1', member: 'n3', reason: 'left' },
    ]);
    expect(membersUpdates(effects)).toEqual([
      { to: 'n1/monitor', members: ['n1', 'n2'] },
      { to: 'n1/sensor', members: ['n1', 'n2'] },
    ]);
  });

  it('membership - ignores a goodbye from a non-member', () => {
    expect(sut.receive(from('n7'), { type: 'goodbye', node: 'n7' }, 100)).toEqual([]);
  });

  it('membership - leaving broadcasts a goodbye', () => {
    expect(sut.leave()).toEqual([
      { kind: 'broadcast', module: 'controller', message: { type: 'goodbye', node: 'n1' } },
    ]);
  });

  describe('liveness', () => {
    let net: ScriptedNetwork;
    let n2: PongResponder;

    beforeEach(() => {
      random = scriptedRandom(0.9);
      sut = crsController();
      n2 = new PongResponder('n2');
      net = new ScriptedNetwork().add(sut, n2, new PongResponder('n3'));
      net.start();
    });

    const pingsTo = (node: NodeId) => net.sent('ping').filter(({ to }) => to.node === node);
    const removals = () => net.events.filter(({ event }) => event.type === 'member-removed');

    it('membership - checks liveness on an interval', () => {
      expect(sut.nextWakeAt()).toBe(intervalMs);

      net.runUntil(intervalMs);

      expect(pingsTo('n2').map(({ at, message }) => ({ at, nonce: message.nonce }))).toEqual([
        { at: intervalMs, nonce: 1 },
      ]);
      expect(pingsTo('n3')).toHaveLength(1);
    });

    it('membership - pings a silent member pingAttempts times per check and removes it after livenessFailuresToRemove failed checks, not before', () => {
      n2.answering = false;

      net.runUntil(2 * intervalMs + checkMs - 1);

      expect(pingsTo('n2').map(({ at }) => at)).toEqual([
        intervalMs,
        intervalMs + config.pingTimeoutMs,
        intervalMs + 2 * config.pingTimeoutMs,
        2 * intervalMs,
        2 * intervalMs + config.pingTimeoutMs,
        2 * intervalMs + 2 * config.pingTimeoutMs,
      ]);
      expect(pingsTo('n3')).toHaveLength(2);
      expect(removals()).toEqual([]);

      net.runUntil(2 * intervalMs + checkMs);

      expect(removals()).toEqual([
        {
          at: 2 * intervalMs + checkMs,
          event: { type: 'member-removed', node: 'n1', member: 'n2', reason: 'liveness' },
        },
      ]);
      expect(sut.members).toEqual(['n1', 'n3']);
    });

    it('membership - one answered attempt resets the failure count', () => {
      n2.answering = false;
      net.runUntil(2 * intervalMs + 1); // check 1 failed; check 2's first ping lost
      n2.answering = true;
      net.runUntil(2 * intervalMs + config.pingTimeoutMs); // check 2's second ping answered
      n2.answering = false;

      net.runUntil(3 * intervalMs + checkMs); // check 3 failed: one failure since the answer

      expect(removals()).toEqual([]);
      expect(
        pingsTo('n2').filter(({ at }) => at >= 2 * intervalMs && at < 3 * intervalMs),
      ).toHaveLength(2);

      net.runUntil(4 * intervalMs + checkMs);

      expect(removals().map(({ at, event }) => ({ at, event }))).toEqual([
        {
          at: 4 * intervalMs + checkMs,
          event: { type: 'member-removed', node: 'n1', member: 'n2', reason: 'liveness' },
        },
      ]);
    });
  });

  it('membership - answers a ping with its member list only when the views differ', () => {
    const same = sut.receive(
      from('n2'),
      { type: 'ping', from: 'n2', nonce: 4, viewId: viewIdOf(members) },
      100,
    );
    const different = sut.receive(
      from('n2'),
      { type: 'ping', from: 'n2', nonce: 5, viewId: viewIdOf(['n1', 'n2']) },
      200,
    );

    expect(same).toEqual([
      { kind: 'send', to: from('n2'), message: { type: 'pong', from: 'n1', nonce: 4 } },
    ]);
    expect(different).toEqual([
      {
        kind: 'send',
        to: from('n2'),
        message: { type: 'pong', from: 'n1', nonce: 5, members },
      },
    ]);
  });

  it('membership - pings the unknown nodes a pong lists and adds one only when it answers itself', () => {
    const gossip = sut.receive(
      from('n2'),
      { type: 'pong', from: 'n2', nonce: 1, members: ['n1', 'n2', 'n3', 'n7', 'n8'] },
      100,
    );

    expect(sent(gossip, 'ping')).toEqual(
      ['n7', 'n8'].map((node) => ({
        to: `${node}/controller`,
        message: { type: 'ping', from: 'n1', nonce: 0, viewId: viewIdOf(members) },
      })),
    );
    expect(eventsOf(gossip)).toEqual([]);
    expect(sut.members).toEqual(members);

    const answer = sut.receive(from('n7'), { type: 'pong', from: 'n7', nonce: 0 }, 150);

    expect(eventsOf(answer)).toEqual([{ type: 'member-joined', node: 'n1', member: 'n7' }]);
    expect(sut.members).toEqual(['n1', 'n2', 'n3', 'n7']);
  });

  it('membership - a ping from a non-member makes it a member', () => {
    const effects = sut.receive(
      from('n7'),
      { type: 'ping', from: 'n7', nonce: 3, viewId: viewIdOf(['n7']) },
      100,
    );

    expect(sent(effects, 'pong')).toEqual([
      { to: 'n7/controller', message: { type: 'pong', from: 'n1', nonce: 3, members } },
    ]);
    expect(eventsOf(effects)).toEqual([{ type: 'member-joined', node: 'n1', member: 'n7' }]);
    expect(sut.members).toEqual(['n1', 'n2', 'n3', 'n7']);
  });

  it('membership - lists members in natural order, n2 before n10', () => {
    random = scriptedRandom(0.9);
    sut = crsController(['n10', 'n2', 'n1']);

    const effects = sut.start(0);

    expect(sut.members).toEqual(['n1', 'n2', 'n10']);
    expect(membersUpdates(effects)).toEqual([
      { to: 'n1/monitor', members: ['n1', 'n2', 'n10'] },
      { to: 'n1/sensor', members: ['n1', 'n2', 'n10'] },
    ]);
  });
});

describe(`${ControllerMachine.name} membership (maintenance at sensor end, CPS)`, () => {
  // Every duration draw below is 0: the shortest role period for three members.
  const periodMs = roleDurationBounds(config, members.length).min;
  let random: ScriptedRandom;
  let sut: PeriodController;

  /** CPS draws the initial role (< 0.5 monitor), then one number per monitor duration. */
  const cpsController = (initialRoleDraw: number): PeriodController => {
    random = scriptedRandom(initialRoleDraw, 0);
    return new PeriodController(
      { node: 'n1', members, config, random },
      new CpsRolePlanner(config, random),
      true,
    );
  };

  it('membership (cps) - welcomes a hello at once but adds the node only at the end of the sensor period', () => {
    sut = cpsController(0.9);
    sut.start(0);

    const hello = sut.receive(from('n4'), { type: 'hello', node: 'n4' }, 1000);

    expect(sent(hello, 'welcome')).toHaveLength(1);
    expect(eventsOf(hello)).toEqual([]);
    expect(sut.members).toEqual(members);
    expect(sut.nextWakeAt()).toBe(periodMs);
    expect(sut.wake(periodMs - 1)).toEqual([]);

    random.push(0);
    const end = sut.wake(periodMs);

    expect(eventsOf(end)).toContainEqual({ type: 'member-joined', node: 'n1', member: 'n4' });
    expect(membersUpdates(end)).toContainEqual({
      to: 'n1/sensor',
      members: ['n1', 'n2', 'n3', 'n4'],
    });
  });

  it('membership (cps) - a hello during a monitor period waits for the end of the following sensor period', () => {
    sut = cpsController(0.1);
    sut.start(0);
    sut.receive(from('n4'), { type: 'hello', node: 'n4' }, 1000);

    const monitorEnd = sut.wake(periodMs);
    const sensorStart = sut.receive(
      addressOf('n1', 'monitor'),
      { type: 'module-idle', module: 'monitor', epoch: 3 },
      periodMs + 100,
    );

    expect(eventsOf([...monitorEnd, ...sensorStart])).toEqual([
      { type: 'role-switched', node: 'n1', role: 'sensor' },
    ]);
    expect(sut.members).toEqual(members);

    random.push(0);
    const sensorEnd = sut.wake(periodMs + 100 + periodMs);

    expect(eventsOf(sensorEnd)).toContainEqual({ type: 'member-joined', node: 'n1', member: 'n4' });
  });

  it('membership (cps) - a ping from a non-member also waits for the end of the sensor period', () => {
    sut = cpsController(0.9);
    sut.start(0);

    const ping = sut.receive(
      from('n7'),
      { type: 'ping', from: 'n7', nonce: 1, viewId: viewIdOf(['n7']) },
      1000,
    );
    random.push(0);
    const end = sut.wake(periodMs);

    expect(sent(ping, 'pong')).toHaveLength(1);
    expect(eventsOf(ping)).toEqual([]);
    expect(eventsOf(end)).toContainEqual({ type: 'member-joined', node: 'n1', member: 'n7' });
  });

  it('membership (cps) - checks liveness at the end of each sensor period instead of on an interval', () => {
    sut = cpsController(0.9);
    sut.start(0);

    expect(sut.nextWakeAt()).toBe(periodMs);
    random.push(0);
    const end = sut.wake(periodMs);

    expect(sent(end, 'ping').map(({ to }) => to)).toEqual(['n2/controller', 'n3/controller']);
  });

  it('membership (cps) - removes a member that says goodbye at once', () => {
    sut = cpsController(0.9);
    sut.start(0);

    const effects = sut.receive(from('n3'), { type: 'goodbye', node: 'n3' }, 1000);

    expect(eventsOf(effects)).toEqual([
      { type: 'member-removed', node: 'n1', member: 'n3', reason: 'left' },
    ]);
    expect(sut.members).toEqual(['n1', 'n2']);
  });

  it('membership (cps) - a goodbye cancels a join still waiting for the end of the sensor period', () => {
    sut = cpsController(0.9);
    sut.start(0);
    sut.receive(from('n4'), { type: 'hello', node: 'n4' }, 1000);
    sut.receive(from('n4'), { type: 'goodbye', node: 'n4' }, 2000);

    random.push(0);
    const end = sut.wake(periodMs);

    expect(eventsOf(end).filter((event) => event.type === 'member-joined')).toEqual([]);
    expect(sut.members).toEqual(members);
  });
});
