import { ALGORITHMS } from '../algorithms/algorithms.js';
import { defaultSchedulerConfig, mergeSchedulerConfig } from '../config/scheduler-config.js';
import { addressOf, type NodeId } from '../core/address.js';
import type { Effect } from '../core/effects.js';
import type { SchedulerMessage, SlotRef } from '../core/messages.js';
import { SeededRandom } from '../core/random.js';
import { viewIdOf } from '../membership/view-id.js';
import { ScriptedNetwork, scriptedRandom } from '../testing/scripted-network.js';
import { Tournament } from '../timetable/tournament.js';
import { TimetableController } from './timetable-controller.js';

// Liveness checks are pushed out of the way: these tests are about the timetable.
const config = mergeSchedulerConfig(defaultSchedulerConfig(1000), { livenessIntervalMs: 1e9 });
const nodes = (count: number): NodeId[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);

/**
 * The tournament every node derives from a view (see adoptView). The rotation is part of
 * the protocol, since all nodes must agree on it, so the test pins the same formula.
 */
function tournamentOf(members: readonly NodeId[]): Tournament {
  const rotation = parseInt(viewIdOf(members).slice(-8), 16) % members.length;
  return new Tournament(members, rotation);
}

const controller = (node: NodeId, members: readonly NodeId[]): TimetableController =>
  // The timetable draws no random numbers: any draw fails the test.
  new TimetableController({ node, members, config, random: scriptedRandom() });

const assignments = (effects: readonly Effect[]) =>
  effects.flatMap((effect) =>
    effect.kind === 'send' && effect.message.type === 'slot-assign'
      ? [{ module: effect.to.module, slot: effect.message.slot, partner: effect.message.partner }]
      : [],
  );

/** What the controller should assign in `slot`, from the node's own plan. */
const expectedAssignment = (tournament: Tournament, node: NodeId, ref: SlotRef) => {
  const plan = tournament.planFor(node, ref.slot);
  if (!plan) throw new Error(`${node} has a bye in slot ${ref.slot}`);
  return { module: plan.role, slot: ref, partner: plan.partner };
};

describe(TimetableController.name, () => {
  const members = nodes(4);
  const tournament = tournamentOf(members);
  const viewId = viewIdOf(members);
  let sut: TimetableController;

  const slotDone = (
    slot: SlotRef,
    module: 'monitor' | 'sensor',
    now: number,
    from: NodeId = 'n1',
  ): Effect[] =>
    sut.receive(
      addressOf(from, module),
      { type: 'slot-done', module, slot, outcome: 'measured' },
      now,
    );
  const currentRef = (): SlotRef => ({ ...sut.position });
  const currentModule = (): 'monitor' | 'sensor' => {
    const plan = tournament.planFor('n1', sut.position.slot);
    if (!plan) throw new Error('no current slot');
    return plan.role;
  };

  beforeEach(() => {
    sut = controller('n1', members);
  });

  it.each(members)('timetable - %s hands its slot-0 plan to the module the plan names', (node) => {
    sut = controller(node, members);

    const effects = sut.start(0);

    expect(assignments(effects)).toEqual([
      expectedAssignment(tournament, node, { viewId, cycle: 0, slot: 0 }),
    ]);
  });

  it('timetable - partners receive matching assignments for the same slot', () => {
    const first = new Map(
      members.map((node) => [node, assignments(controller(node, members).start(0))[0]]),
    );

    for (const [node, assignment] of first) {
      expect(first.get(assignment.partner)).toEqual({
        module: assignment.module === 'monitor' ? 'sensor' : 'monitor',
        slot: assignment.slot,
        partner: node,
      });
    }
  });

  it('timetable - a module that (re)starts gets its current slot again, the other none', () => {
    const started = assignments(sut.start(0))[0];
    const module = started.module === 'monitor' ? 'monitor' : 'sensor';
    const other = module === 'monitor' ? 'sensor' : 'monitor';
    const ready = (module: 'monitor' | 'sensor') =>
      assignments(sut.receive(addressOf('n1', module), { type: 'module-ready', module }, 5));

    expect(ready(module)).toEqual([started]);
    expect(ready(other)).toEqual([]);
  });

  it('timetable - a slot not reported done within its wait and one lock is handed again, until it is', () => {
    const started = assignments(sut.start(0))[0];
    const again = config.tts.slotWaitMs + config.lockMs + config.eventMs;

    expect(sut.nextWakeAt()).toBe(again);
    expect(assignments(sut.wake(again - 1))).toEqual([]);
    expect(assignments(sut.wake(again))).toEqual([started]);
    expect(sut.nextWakeAt()).toBe(2 * again);

    slotDone(currentRef(), currentModule(), 2 * again - 10);
    // The next slot has a deadline of its own, counted from when it was handed out.
    expect(sut.nextWakeAt()).toBe(2 * again - 10 + again);
  });

  it('timetable - ignores a slot-done that does not match its current slot', () => {
    sut.start(0);
    const ref = currentRef();
    const module = currentModule();
    const other = module === 'monitor' ? 'sensor' : 'monitor';

    const ignored = [
      slotDone(ref, other, 10),
      slotDone({ ...ref, slot: ref.slot + 1 }, module, 20),
      slotDone({ ...ref, cycle: ref.cycle + 1 }, module, 30),
      slotDone({ ...ref, viewId: 'another-view' }, module, 40),
      slotDone(ref, module, 50, 'n2'),
    ];

    expect(ignored.flat()).toEqual([]);
    expect(sut.position).toEqual(ref);
  });

  it('timetable - moves to the next slot on the matching slot-done', () => {
    sut.start(0);

    const effects = slotDone(currentRef(), currentModule(), 100);

    const next = { viewId, cycle: 0, slot: 1 };
    expect(assignments(effects)).toEqual([expectedAssignment(tournament, 'n1', next)]);
    expect(sut.position).toEqual(next);
  });

  it('timetable - starts the next cycle after the last slot', () => {
    sut.start(0);
    let effects: Effect[] = [];

    for (let i = 0; i < tournament.slotsPerCycle; i++)
      effects = slotDone(currentRef(), currentModule(), 100 * (i + 1));

    expect(assignments(effects)).toEqual([
      expectedAssignment(tournament, 'n1', { viewId, cycle: 1, slot: 0 }),
    ]);
  });

  it('timetable - skips its byes', () => {
    const odd = nodes(5);
    const oddTournament = tournamentOf(odd);
    const resting = odd.find((node) => oddTournament.planFor(node, 0) === null);
    if (!resting) throw new Error('odd view without a bye in slot 0');
    sut = controller(resting, odd);

    const effects = sut.start(0);

    // A bye lasts the whole round: both of its slots are skipped.
    const ref = { viewId: viewIdOf(odd), cycle: 0, slot: 2 };
    expect(assignments(effects)).toEqual([expectedAssignment(oddTournament, resting, ref)]);
  });

  it('timetable - forwards intents to its monitor and sensor', () => {
    sut.start(0);
    const intents: SchedulerMessage = { type: 'intents', scope: { mode: 'pairs', pairs: [] } };

    const effects = sut.receive(addressOf('ops', 'controller'), intents, 10);

    expect(effects).toEqual([
      { kind: 'send', to: addressOf('n1', 'monitor'), message: intents },
      { kind: 'send', to: addressOf('n1', 'sensor'), message: intents },
    ]);
  });

  it('timetable - skips the slots whose pair is outside the intents scope', () => {
    sut.start(0);
    const plan = tournament.planFor('n1', 3);
    if (!plan) throw new Error('no plan');
    const pair: [NodeId, NodeId] =
      plan.role === 'monitor' ? ['n1', plan.partner] : [plan.partner, 'n1'];
    sut.receive(
      addressOf('ops', 'controller'),
      { type: 'intents', scope: { mode: 'pairs', pairs: [pair] } },
      10,
    );

    const effects = slotDone(currentRef(), currentModule(), 100);

    expect(assignments(effects)).toEqual([
      expectedAssignment(tournament, 'n1', { viewId, cycle: 0, slot: 3 }),
    ]);
  });

  it('timetable - idles for one event time instead of spinning when nothing is in scope', () => {
    sut.start(0);
    sut.receive(
      addressOf('ops', 'controller'),
      { type: 'intents', scope: { mode: 'pairs', pairs: [] } },
      10,
    );

    expect(assignments(slotDone(currentRef(), currentModule(), 100))).toEqual([]);
    expect(sut.nextWakeAt()).toBe(100 + config.eventMs);
    expect(sut.wake(100 + config.eventMs - 1)).toEqual([]);
    expect(assignments(sut.wake(100 + config.eventMs))).toEqual([]);
    expect(sut.nextWakeAt()).toBe(100 + 2 * config.eventMs);

    sut.receive(addressOf('ops', 'controller'), { type: 'intents', scope: { mode: 'all' } }, 1500);
    const effects = sut.wake(100 + 2 * config.eventMs);

    expect(assignments(effects)).toHaveLength(1);
  });

  it('timetable - applies a goodbye after the current slot and restarts at slot 0 of the new view', () => {
    const five = nodes(5);
    sut = controller('n1', five);
    sut.start(0);
    const before = currentRef();
    const plan = tournamentOf(five).planFor('n1', before.slot);
    if (!plan) throw new Error('no current slot');

    const left = sut.receive(addressOf('n5', 'controller'), { type: 'goodbye', node: 'n5' }, 100);

    expect(left).toContainEqual({
      kind: 'event',
      event: { type: 'member-removed', node: 'n1', member: 'n5', reason: 'left' },
    });
    expect(assignments(left)).toEqual([]);
    expect(sut.position).toEqual(before);

    const effects = slotDone(before, plan.role, 200);

    const restart = { viewId, cycle: 0, slot: 0 };
    expect(viewId).not.toBe(before.viewId);
    expect(assignments(effects)).toEqual([expectedAssignment(tournament, 'n1', restart)]);
    expect(sut.position).toEqual(restart);
  });

  it('timetable - a membership change during an idle wait assigns the new slot only once', () => {
    sut.start(0);
    sut.receive(
      addressOf('ops', 'controller'),
      { type: 'intents', scope: { mode: 'pairs', pairs: [['n1', 'n5']] } },
      10,
    );
    slotDone(currentRef(), currentModule(), 100);
    expect(sut.nextWakeAt()).toBe(100 + config.eventMs);

    const joined = sut.receive(addressOf('n5', 'controller'), { type: 'hello', node: 'n5' }, 200);
    expect(assignments(joined)).toHaveLength(1);

    expect(assignments(sut.wake(100 + config.eventMs))).toEqual([]);
  });

  describe.each([4, 5])('with %i nodes on one network', (count) => {
    const everyone = nodes(count);

    const runNetwork = (net: ScriptedNetwork) => {
      const random = new SeededRandom(count);
      const agents = everyone.map((node) =>
        ALGORITHMS.tts.create({ node, members: everyone, config, random }),
      );
      for (const agent of agents) net.add(agent.controller, agent.sensor, agent.monitor);
      net.start();
      return agents.map((agent) => agent.controller as TimetableController);
    };

    it('timetable - measures every ordered pair exactly once in the first cycle, one event per sensor at a time', () => {
      const net = new ScriptedNetwork({ probeMs: 500 });
      const controllers = runNetwork(net);

      net.runUntil(60_000);

      expect(controllers.every((c) => c.position.cycle >= 1)).toBe(true);
      const cycle = count * (count - 1);
      const pairs = net.probes
        .slice(0, cycle)
        .map(({ order }) => `${order.monitor}>${order.sensor}`);
      expect(new Set(pairs).size).toBe(cycle);
      for (const node of everyone) {
        const starts = net.probes.filter(({ order }) => order.sensor === node).map(({ at }) => at);
        const gaps = starts.slice(1).map((at, i) => at - starts[i]);
        expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
      }
    });

    it('timetable - after a node leaves, the others move to the new view and measure only among themselves', () => {
      const net = new ScriptedNetwork({ probeMs: 500 });
      const controllers = runNetwork(net);
      net.runUntil(2000);
      const leaving = controllers[count - 1];

      net.apply(leaving.address, leaving.leave());
      net.remove(leaving.node);
      const leftAt = net.now;
      net.runUntil(leftAt + 30_000);

      const remaining = everyone.slice(0, -1);
      for (const c of controllers.slice(0, -1)) expect(c.position.viewId).toBe(viewIdOf(remaining));
      const settledAt = leftAt + config.tts.slotWaitMs + config.lockMs;
      const later = net.probes.filter(({ at }) => at > settledAt);
      expect(later.length).toBeGreaterThan(0);
      expect(
        later.every(({ order }) => order.monitor !== leaving.node && order.sensor !== leaving.node),
      ).toBe(true);
    });
  });
});
