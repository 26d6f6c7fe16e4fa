import { addressOf } from '../core/address.js';
import type { Effect } from '../core/effects.js';
import { NEVER_MEASURED, type SchedulerMessage, type SlotRef } from '../core/messages.js';
import { probesOf } from '../testing/effect-queries.js';
import { TimetableMonitor } from './timetable-monitor.js';

const settings = { slotWaitMs: 3000, requestRetryMs: 1000 };
const leaseMs = 3500;
const slot = (n: number): SlotRef => ({ viewId: 'view-a', cycle: 0, slot: n });
const controller = addressOf('n1', 'controller');
const sensor = addressOf('n2', 'sensor');
const assign = (ref: SlotRef): SchedulerMessage => ({
  type: 'slot-assign',
  slot: ref,
  partner: 'n2',
});
const grant = (requestId: string, attempt: number): SchedulerMessage => ({
  type: 'slot-grant',
  requestId,
  sensor: 'n2',
  fencingToken: 7,
  leaseMs,
  attempt,
});

/** The messages sent, with the recipient as `node/module`. */
const sent = (effects: readonly Effect[]) =>
  effects.flatMap((effect) =>
    effect.kind === 'send'
      ? [{ to: `${effect.to.node}/${effect.to.module}`, ...effect.message }]
      : [],
  );
const slotDone = (ref: SlotRef, outcome: string) => ({
  to: 'n1/controller',
  type: 'slot-done',
  module: 'monitor',
  slot: ref,
  outcome,
});

describe(TimetableMonitor.name, () => {
  let sut: TimetableMonitor;

  beforeEach(() => {
    sut = new TimetableMonitor('n1', ['n1', 'n2', 'n3'], (members) => members, settings);
    sut.start(0);
  });

  it('timetable monitor - asks the assigned partner for the assigned slot', () => {
    const effects = sut.receive(controller, assign(slot(3)), 0);

    expect(sent(effects)).toEqual([
      {
        to: 'n2/sensor',
        type: 'slot-request',
        requestId: 'n1#1',
        monitor: 'n1',
        priority: NEVER_MEASURED,
        attempt: 0,
        slot: slot(3),
      },
    ]);
  });

  it('timetable monitor - ignores an assignment from another node', () => {
    expect(sut.receive(addressOf('n9', 'controller'), assign(slot(0)), 0)).toEqual([]);
  });

  it('timetable monitor - re-sends the same request every retry interval until it gives up', () => {
    sut.receive(controller, assign(slot(0)), 0);
    const resent: ReturnType<typeof sent> = [];

    expect(sut.wake(settings.requestRetryMs - 1)).toEqual([]);
    for (
      let at = settings.requestRetryMs;
      at < settings.slotWaitMs;
      at += settings.requestRetryMs
    ) {
      expect(sut.nextWakeAt()).toBe(at);
      resent.push(...sent(sut.wake(at)));
    }

    expect(resent).toEqual([
      expect.objectContaining({ type: 'slot-request', requestId: 'n1#1', attempt: 1 }),
      expect.objectContaining({ type: 'slot-request', requestId: 'n1#1', attempt: 2 }),
    ]);
  });

  it('timetable monitor - gives up at the slot wait and reports a timeout', () => {
    sut.receive(controller, assign(slot(0)), 0);
    sut.wake(1000);
    sut.wake(2000);

    expect(sut.nextWakeAt()).toBe(settings.slotWaitMs);
    const effects = sut.wake(settings.slotWaitMs);

    expect(sent(effects)).toEqual([slotDone(slot(0), 'timeout')]);
    expect(effects).toContainEqual({
      kind: 'event',
      event: { type: 'request-timeout', monitor: 'n1', sensor: 'n2' },
    });
    expect(sut.nextWakeAt()).toBeNull();
  });

  it('timetable monitor - starts the probe on a grant, due by the send time of the granted copy plus the lease', () => {
    sut.receive(controller, assign(slot(0)), 0);
    sut.wake(1000);
    sut.wake(2000);

    const effects = sut.receive(sensor, grant('n1#1', 1), 2500);

    expect(probesOf(effects)).toEqual([
      {
        measurementId: 'n1#1',
        monitor: 'n1',
        sensor: 'n2',
        fencingToken: 7,
        deadline: 1000 + leaseMs,
      },
    ]);
    // No more re-sends or give-up while the probe runs.
    expect(sut.nextWakeAt()).toBeNull();
  });

  it('timetable monitor - the slot it works on, handed again, asks nothing new', () => {
    sut.receive(controller, assign(slot(3)), 0);

    expect(sut.receive(controller, assign(slot(3)), 500)).toEqual([]);
  });

  it('timetable monitor - the slot it finished last, handed again, is reported done again', () => {
    sut.receive(controller, assign(slot(0)), 0);
    sut.receive(
      sensor,
      { type: 'slot-deny', requestId: 'n1#1', sensor: 'n2', reason: 'slot-passed' },
      100,
    );

    expect(sent(sut.receive(controller, assign(slot(0)), 5000))).toEqual([
      slotDone(slot(0), 'skipped'),
    ]);
  });

  it('timetable monitor - reports the slot skipped when the sensor denies', () => {
    sut.receive(controller, assign(slot(0)), 0);

    const effects = sut.receive(
      sensor,
      { type: 'slot-deny', requestId: 'n1#1', sensor: 'n2', reason: 'slot-passed' },
      100,
    );

    expect(sent(effects)).toEqual([slotDone(slot(0), 'skipped')]);
    expect(sut.nextWakeAt()).toBeNull();
  });

  it('timetable monitor - ignores a deny for another request', () => {
    sut.receive(controller, assign(slot(0)), 0);

    expect(
      sut.receive(
        sensor,
        { type: 'slot-deny', requestId: 'n1#9', sensor: 'n2', reason: 'busy' },
        100,
      ),
    ).toEqual([]);
    expect(sut.busy).toBe(true);
  });

  it('timetable monitor - releases the sensor twice and reports the slot measured when the probe ends', () => {
    sut.receive(controller, assign(slot(0)), 0);
    sut.receive(sensor, grant('n1#1', 0), 100);

    const effects = sut.probeFinished({ measurementId: 'n1#1', ok: true }, 2000);

    const release = {
      to: 'n2/sensor',
      type: 'slot-release',
      requestId: 'n1#1',
      monitor: 'n1',
      fencingToken: 7,
    };
    expect(sent(effects)).toEqual([release, release, slotDone(slot(0), 'measured')]);
    expect(sut.busy).toBe(false);
  });

  it('timetable monitor - reports the slot skipped when the probe fails', () => {
    sut.receive(controller, assign(slot(0)), 0);
    sut.receive(sensor, grant('n1#1', 0), 100);

    const effects = sut.probeFinished({ measurementId: 'n1#1', ok: false }, 2000);

    expect(sent(effects)).toContainEqual(slotDone(slot(0), 'skipped'));
  });

  it('timetable monitor - asks with the time since the last measurement as priority', () => {
    sut.receive(controller, assign(slot(0)), 0);
    sut.receive(sensor, grant('n1#1', 0), 100);
    sut.probeFinished({ measurementId: 'n1#1', ok: true }, 2000);

    const effects = sut.receive(controller, assign(slot(1)), 5000);

    expect(sent(effects)).toEqual([expect.objectContaining({ requestId: 'n1#2', priority: 3000 })]);
  });

  it('timetable monitor - releases at once a grant that comes after it gave up', () => {
    sut.receive(controller, assign(slot(0)), 0);
    sut.wake(1000);
    sut.wake(2000);
    sut.wake(settings.slotWaitMs);

    const effects = sut.receive(sensor, grant('n1#1', 2), 3100);

    expect(probesOf(effects)).toEqual([]);
    expect(sent(effects).map(({ type }) => type)).toEqual(['slot-release', 'slot-release']);
  });

  describe('answering slot offers', () => {
    const offer = (ref: SlotRef): SchedulerMessage => ({
      type: 'slot-offer',
      sensor: 'n2',
      slot: ref,
    });

    it('timetable monitor - tells a sensor waiting in a slot it already finished that the slot is past', () => {
      const started = sut.receive(controller, assign(slot(1)), 0);
      const requestId = (sent(started)[0] as unknown as { requestId: string }).requestId;
      sut.receive(sensor, { type: 'slot-deny', requestId, sensor: 'n2', reason: 'busy' }, 10);

      expect(sent(sut.receive(sensor, offer(slot(1)), 20))).toEqual([
        { to: 'n2/sensor', type: 'slot-passed', monitor: 'n1', slot: slot(1) },
      ]);
    });

    it('timetable monitor - re-sends its request when offered the slot it is asking for', () => {
      sut.receive(controller, assign(slot(1)), 0);

      const effects = sent(sut.receive(sensor, offer(slot(1)), 20));

      expect(effects).toEqual([
        expect.objectContaining({ to: 'n2/sensor', type: 'slot-request', attempt: 1 }),
      ]);
    });

    it('timetable monitor - ignores an offer of a slot it has not reached yet', () => {
      expect(sent(sut.receive(sensor, offer(slot(4)), 20))).toEqual([]);
    });
  });

  it('timetable monitor - a second copy of the grant for the running probe neither releases nor restarts it', () => {
    const started = sut.receive(controller, assign(slot(1)), 0);
    const requestId = (sent(started)[0] as unknown as { requestId: string }).requestId;
    sut.wake(1000);
    expect(probesOf(sut.receive(sensor, grant(requestId, 1), 1001))).toHaveLength(1);

    const duplicate = sut.receive(sensor, grant(requestId, 0), 1002);

    expect(sent(duplicate)).toEqual([]);
    expect(probesOf(duplicate)).toEqual([]);
  });
});
