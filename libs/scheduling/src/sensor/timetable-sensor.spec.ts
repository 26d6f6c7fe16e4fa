import { addressOf, type NodeId } from '../core/address.js';
import type { Effect } from '../core/effects.js';
import type { SchedulerMessage, SlotRef, SlotRequest } from '../core/messages.js';
import { TimetableSensor } from './timetable-sensor.js';

// Offers are tested on their own below; far off here so they do not interleave.
const settings = { lockMs: 3500, slotWaitMs: 3000, eventMs: 3000, requestRetryMs: 1e9 };
const viewId = 'view-a';
const slot = (n: number, cycle = 0): SlotRef => ({ viewId, cycle, slot: n });

const controller = addressOf('n1', 'controller');
const assign = (ref: SlotRef, partner: NodeId): SchedulerMessage => ({
  type: 'slot-assign',
  slot: ref,
  partner,
});
const request = (monitor: NodeId, ref: SlotRef | undefined, attempt = 0): SlotRequest => ({
  type: 'slot-request',
  requestId: `${monitor}#${ref?.slot ?? 'none'}`,
  monitor,
  priority: 1,
  attempt,
  ...(ref ? { slot: ref } : {}),
});

/** The messages sent, with the recipient as `node/module`. */
const sent = (effects: readonly Effect[]) =>
  effects.flatMap((effect) =>
    effect.kind === 'send'
      ? [{ to: `${effect.to.node}/${effect.to.module}`, ...effect.message }]
      : [],
  );
const grantTo = (monitor: NodeId, fencingToken: number, attempt = 0) =>
  expect.objectContaining({
    to: `${monitor}/monitor`,
    type: 'slot-grant',
    sensor: 'n1',
    fencingToken,
    leaseMs: settings.lockMs,
    attempt,
  });
const denyTo = (monitor: NodeId, reason: string) =>
  expect.objectContaining({ to: `${monitor}/monitor`, type: 'slot-deny', reason });
const slotDone = (ref: SlotRef, outcome: string) => ({
  to: 'n1/controller',
  type: 'slot-done',
  module: 'sensor',
  slot: ref,
  outcome,
});

describe(TimetableSensor.name, () => {
  let sut: TimetableSensor;

  beforeEach(() => {
    sut = new TimetableSensor('n1', settings);
  });

  const receive = (message: SchedulerMessage, now: number, from = controller) =>
    sut.receive(from, message, now);
  const ask = (req: SlotRequest, now: number) =>
    sut.receive(addressOf(req.monitor, 'monitor'), req, now);

  it('timetable sensor - grants the assigned partner its request for the assigned slot', () => {
    receive(assign(slot(0), 'n2'), 0);

    const effects = ask(request('n2', slot(0)), 100);

    expect(sent(effects)).toEqual([grantTo('n2', 1)]);
    expect(effects).toContainEqual({
      kind: 'event',
      event: { type: 'slot-granted', sensor: 'n1', monitor: 'n2', fencingToken: 1 },
    });
    expect(sut.currentLock).toMatchObject({ holder: 'n2', until: 100 + settings.lockMs });
  });

  it('timetable sensor - denies another monitor asking for the assigned slot', () => {
    receive(assign(slot(0), 'n2'), 0);

    expect(sent(ask(request('n3', slot(0)), 100))).toEqual([denyTo('n3', 'not-expected')]);
    expect(sut.currentLock).toBeNull();
  });

  it('timetable sensor - pulled back by a stale assignment, it follows the current one handed again', () => {
    receive(assign(slot(3), 'n2'), 0);
    receive(assign(slot(1), 'n4'), 100);

    receive(assign(slot(3), 'n2'), 5000);
    expect(sent(ask(request('n2', slot(3)), 5100))).toEqual([grantTo('n2', 1)]);
  });

  it('timetable sensor - the slot it works on, handed again, carries on without restarting', () => {
    receive(assign(slot(3), 'n2'), 0);
    ask(request('n2', slot(3)), 100);

    expect(receive(assign(slot(3), 'n2'), 2000)).toEqual([]);
    expect(sut.currentLock).toMatchObject({ holder: 'n2' });
  });

  it('timetable sensor - the slot it finished last, handed again, is reported done again', () => {
    receive(assign(slot(1), 'n2'), 0);
    const finished = sent(sut.wake(settings.slotWaitMs));
    expect(finished).toEqual([slotDone(slot(1), 'timeout')]);

    expect(sent(receive(assign(slot(1), 'n2'), 5000))).toEqual([slotDone(slot(1), 'timeout')]);
  });

  it('timetable sensor - denies a request that names no slot', () => {
    receive(assign(slot(0), 'n2'), 0);

    expect(sent(ask(request('n2', undefined), 100))).toEqual([denyTo('n2', 'not-expected')]);
  });

  it('timetable sensor - holds a request that comes before its assignment and grants it when the assignment arrives', () => {
    expect(ask(request('n2', slot(0)), 0)).toEqual([]);

    const effects = receive(assign(slot(0), 'n2'), 500);

    expect(sent(effects)).toEqual([grantTo('n2', 1)]);
    expect(sut.currentLock?.until).toBe(500 + settings.lockMs);
  });

  it('timetable sensor - holds a request for a later slot and grants it when that slot is assigned', () => {
    receive(assign(slot(0), 'n2'), 0);
    expect(ask(request('n3', slot(1)), 100)).toEqual([]);

    sut.wake(settings.slotWaitMs);
    const effects = receive(assign(slot(1), 'n3'), settings.slotWaitMs + 10);

    expect(sent(effects)).toEqual([grantTo('n3', 1)]);
  });

  it("timetable sensor - holds the next partner's request while the current slot's monitor has the lock", () => {
    receive(assign(slot(0), 'n2'), 0);
    const first = request('n2', slot(0));
    ask(first, 100);

    expect(ask(request('n3', slot(1), 2), 200)).toEqual([]);
    const released = receive(
      { type: 'slot-release', requestId: first.requestId, monitor: 'n2', fencingToken: 1 },
      1000,
      addressOf('n2', 'monitor'),
    );
    const effects = receive(assign(slot(1), 'n3'), 1010);

    expect(sent(released)).toEqual([slotDone(slot(0), 'measured')]);
    // The held copy is the newest one: the grant echoes its attempt.
    expect(sent(effects)).toEqual([grantTo('n3', 2, 2)]);
  });

  it('timetable sensor - grants the newest copy of a request it held', () => {
    ask(request('n2', slot(1), 0), 100);
    ask(request('n2', slot(1), 1), 1100);

    expect(sent(receive(assign(slot(1), 'n2'), 1500))).toEqual([grantTo('n2', 1, 1)]);
  });

  it('timetable sensor - denies a held request after the slot wait when its slot never comes', () => {
    ask(request('n2', slot(4)), 100);

    expect(sut.nextWakeAt()).toBe(100 + settings.slotWaitMs);
    expect(sut.wake(100 + settings.slotWaitMs - 1)).toEqual([]);
    expect(sent(sut.wake(100 + settings.slotWaitMs))).toEqual([denyTo('n2', 'not-expected')]);
    expect(sut.nextWakeAt()).toBeNull();
  });

  it('timetable sensor - denies a request for a slot it has already finished', () => {
    receive(assign(slot(1), 'n2'), 0);
    sut.wake(settings.slotWaitMs);

    expect(sent(ask(request('n2', slot(1)), 4000))).toEqual([denyTo('n2', 'slot-passed')]);
    expect(sent(ask(request('n3', slot(0)), 4000))).toEqual([denyTo('n3', 'slot-passed')]);
  });

  it('timetable sensor - denies a request for a slot before the assigned one', () => {
    receive(assign(slot(0, 1), 'n2'), 0);

    expect(sent(ask(request('n3', slot(5, 0)), 100))).toEqual([denyTo('n3', 'slot-passed')]);
  });

  it('timetable sensor - denies a held request once a later slot is assigned', () => {
    ask(request('n3', slot(1)), 0);

    const effects = receive(assign(slot(2), 'n2'), 100);

    expect(sent(effects)).toEqual([denyTo('n3', 'slot-passed')]);
  });

  it('timetable sensor - reports the slot measured when the monitor releases the lock', () => {
    receive(assign(slot(0), 'n2'), 0);
    const granted = request('n2', slot(0));
    ask(granted, 100);

    const effects = receive(
      { type: 'slot-release', requestId: granted.requestId, monitor: 'n2', fencingToken: 1 },
      2000,
      addressOf('n2', 'monitor'),
    );

    expect(sent(effects)).toEqual([slotDone(slot(0), 'measured')]);
    expect(sut.currentLock).toBeNull();
  });

  it('timetable sensor - ignores a release with another fencing token', () => {
    receive(assign(slot(0), 'n2'), 0);
    const granted = request('n2', slot(0));
    ask(granted, 100);

    const effects = receive(
      { type: 'slot-release', requestId: granted.requestId, monitor: 'n2', fencingToken: 99 },
      2000,
      addressOf('n2', 'monitor'),
    );

    expect(effects).toEqual([]);
    expect(sut.currentLock).not.toBeNull();
  });

  it('timetable sensor - answers a retried request with the same lock', () => {
    receive(assign(slot(0), 'n2'), 0);
    ask(request('n2', slot(0), 0), 100);

    expect(sent(ask(request('n2', slot(0), 1), 1100))).toEqual([grantTo('n2', 1, 0)]);
  });

  it('timetable sensor - reports a timeout when no request comes within the slot wait', () => {
    receive(assign(slot(0), 'n2'), 0);

    expect(sut.nextWakeAt()).toBe(settings.slotWaitMs);
    expect(sut.wake(settings.slotWaitMs - 1)).toEqual([]);
    expect(sent(sut.wake(settings.slotWaitMs))).toEqual([slotDone(slot(0), 'timeout')]);
    expect(sut.nextWakeAt()).toBeNull();
  });

  it('timetable sensor - does not time out the slot while the lock is held', () => {
    receive(assign(slot(0), 'n2'), 0);
    ask(request('n2', slot(0)), 2000);

    expect(sut.nextWakeAt()).toBe(2000 + settings.lockMs);
    expect(sut.wake(settings.slotWaitMs)).toEqual([]);
  });

  it('timetable sensor - ends the slot when the lease expires without a release', () => {
    receive(assign(slot(0), 'n2'), 0);
    ask(request('n2', slot(0)), 100);

    const effects = sut.wake(100 + settings.lockMs);

    expect(effects).toContainEqual({
      kind: 'event',
      event: { type: 'lease-expired', sensor: 'n1', monitor: 'n2', fencingToken: 1 },
    });
    expect(sent(effects)).toEqual([
      expect.objectContaining({ to: 'n1/controller', type: 'slot-done', slot: slot(0) }),
    ]);
    expect(sut.currentLock).toBeNull();
  });

  it('timetable sensor - ignores an assignment from another node', () => {
    receive(assign(slot(0), 'n2'), 0, addressOf('n9', 'controller'));

    expect(ask(request('n2', slot(0)), 100)).toEqual([]);
    expect(sut.currentLock).toBeNull();
  });

  describe('offering a slot nobody asked for', () => {
    const offering = { ...settings, requestRetryMs: 500 };

    it('timetable sensor - offers the slot to its partner when no request came, and again later', () => {
      sut = new TimetableSensor('n1', offering);
      sut.receive(controller, assign(slot(2), 'n2'), 0);

      expect(sut.nextWakeAt()).toBe(500);
      expect(sent(sut.wake(500))).toEqual([
        { to: 'n2/monitor', type: 'slot-offer', sensor: 'n1', slot: slot(2) },
      ]);
      expect(sent(sut.wake(1000))).toHaveLength(1);
    });

    it('timetable sensor - ends the slot at once when the partner says it is past it', () => {
      sut = new TimetableSensor('n1', offering);
      sut.receive(controller, assign(slot(2), 'n2'), 0);

      const effects = sut.receive(
        addressOf('n2', 'monitor'),
        { type: 'slot-passed', monitor: 'n2', slot: slot(2) },
        600,
      );

      expect(sent(effects)).toEqual([slotDone(slot(2), 'skipped')]);
    });

    it('timetable sensor - ignores a passed notice for another slot or from another node', () => {
      sut = new TimetableSensor('n1', offering);
      sut.receive(controller, assign(slot(2), 'n2'), 0);
      const other = { type: 'slot-passed' as const, monitor: 'n3', slot: slot(2) };
      const earlier = { type: 'slot-passed' as const, monitor: 'n2', slot: slot(1) };

      expect(sent(sut.receive(addressOf('n3', 'monitor'), other, 600))).toEqual([]);
      expect(sent(sut.receive(addressOf('n2', 'monitor'), earlier, 600))).toEqual([]);
    });
  });
});
