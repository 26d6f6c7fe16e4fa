import { jest } from '@jest/globals';
import {
  addressOf,
  type Address,
  type Effect,
  type SchedulerMachine,
  type SchedulerMessage,
} from '@meshmon/scheduling';
import { MachineDriver, type Clock } from './machine-driver.js';

const SELF = addressOf('n1', 'monitor');
const PEER = addressOf('n2', 'sensor');
const event = (label: string): Effect => ({
  kind: 'event',
  event: { type: 'role-switched', node: label, role: 'monitor' },
});
const release: SchedulerMessage = {
  type: 'slot-release',
  requestId: 'r1',
  monitor: 'n2',
  fencingToken: 3,
};

/**
 * A machine whose answers the test sets: every call is recorded with the time it was made,
 * and `wakeAt` is what nextWakeAt reports. `onWake` lets a test move the wake-up along.
 */
class ScriptedMachine implements SchedulerMachine {
  readonly address = SELF;
  readonly calls: string[] = [];
  wakeAt: number | null = null;
  effects: Effect[] = [];
  onWake: (now: number) => void = () => {
    this.wakeAt = null;
  };

  start(now: number): Effect[] {
    this.calls.push(`start@${now}`);
    return this.effects;
  }

  receive(from: Address, message: SchedulerMessage, now: number): Effect[] {
    this.calls.push(`receive ${message.type} from ${from.node}@${now}`);
    return this.effects;
  }

  wake(now: number): Effect[] {
    this.calls.push(`wake@${now}`);
    this.onWake(now);
    return this.effects;
  }

  nextWakeAt(): number | null {
    return this.wakeAt;
  }
}

/** Fake timers also fake Date, so this clock moves with jest.advanceTimersByTime. */
const fakeClock: Clock = { now: () => Date.now() };

describe(MachineDriver.name, () => {
  let machine: ScriptedMachine;
  let sunk: (readonly Effect[])[];
  let sut: MachineDriver<ScriptedMachine>;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000 });
    machine = new ScriptedMachine();
    sunk = [];
    sut = new MachineDriver(machine, (effects) => sunk.push(effects), fakeClock);
  });

  afterEach(() => {
    sut.stop();
    jest.useRealTimers();
  });

  it('driver - start hands the machine the clock and its effects to the sink', () => {
    machine.effects = [event('started')];

    sut.start();

    expect(machine.calls).toEqual(['start@1000']);
    expect(sunk).toEqual([[event('started')]]);
  });

  it('driver - receive passes the sender, message and time, and routes the effects', () => {
    sut.start();
    jest.advanceTimersByTime(250);
    machine.effects = [event('received')];

    sut.receive(PEER, release);

    expect(machine.calls).toEqual(['start@1000', 'receive slot-release from n2@1250']);
    expect(sunk).toEqual([[event('received')]]);
  });

  it('driver - does not call the sink when the machine has nothing to do', () => {
    sut.start();
    sut.receive(PEER, release);

    expect(sunk).toEqual([]);
  });

  it('driver - run calls the machine with the current time and routes its effects', () => {
    sut.run((m, now) => {
      expect(m).toBe(machine);
      return [event(`ran@${now}`)];
    });

    expect(sunk).toEqual([[event('ran@1000')]]);
  });

  it('driver - arms exactly one timer for the next wake-up and wakes the machine then', () => {
    machine.wakeAt = 1_400;
    sut.start();

    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(399);
    expect(machine.calls).toEqual(['start@1000']);
    jest.advanceTimersByTime(1);
    expect(machine.calls).toEqual(['start@1000', 'wake@1400']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('driver - keeps one timer when a message leaves the wake-up unchanged', () => {
    machine.wakeAt = 1_400;
    sut.start();
    sut.receive(PEER, release);
    sut.receive(PEER, release);

    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(400);
    expect(machine.calls.filter((call) => call.startsWith('wake'))).toEqual(['wake@1400']);
  });

  it('driver - re-arms for an earlier wake-up and never fires the old one', () => {
    machine.wakeAt = 2_000;
    sut.start();
    machine.wakeAt = 1_300;
    sut.receive(PEER, release);

    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(5_000);
    expect(machine.calls.filter((call) => call.startsWith('wake'))).toEqual(['wake@1300']);
  });

  it('driver - re-arms for a later wake-up and does not wake early', () => {
    machine.wakeAt = 1_300;
    sut.start();
    machine.wakeAt = 3_000;
    sut.receive(PEER, release);

    jest.advanceTimersByTime(1_999);
    expect(machine.calls.filter((call) => call.startsWith('wake'))).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(machine.calls.filter((call) => call.startsWith('wake'))).toEqual(['wake@3000']);
  });

  it('driver - disarms when the machine no longer needs waking', () => {
    machine.wakeAt = 1_500;
    sut.start();
    machine.wakeAt = null;
    sut.receive(PEER, release);

    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10_000);
    expect(machine.calls).toEqual(['start@1000', 'receive slot-release from n2@1000']);
  });

  it('driver - follows the machine from wake-up to wake-up, routing each wake-up`s effects', () => {
    machine.wakeAt = 1_100;
    machine.onWake = (now) => {
      machine.wakeAt = now < 1_300 ? now + 100 : null;
      machine.effects = [event(`woke@${now}`)];
    };
    sut.start();

    jest.advanceTimersByTime(1_000);

    expect(machine.calls).toEqual(['start@1000', 'wake@1100', 'wake@1200', 'wake@1300']);
    expect(sunk).toEqual([[event('woke@1100')], [event('woke@1200')], [event('woke@1300')]]);
  });

  it('driver - wakes at once for a wake-up already due', () => {
    machine.wakeAt = 900;
    sut.start();

    jest.advanceTimersByTime(0);
    expect(machine.calls).toEqual(['start@1000', 'wake@1000']);
  });

  it('driver - after stop, no timer fires and messages and calls are dropped', () => {
    machine.wakeAt = 1_200;
    sut.start();
    sut.stop();

    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(1_000);
    sut.receive(PEER, release);
    sut.run(() => [event('too late')]);

    expect(machine.calls).toEqual(['start@1000']);
    expect(sunk).toEqual([]);
  });

  it('driver - a wake-up already running when stop is called arms nothing after it', () => {
    machine.wakeAt = 1_100;
    machine.onWake = () => {
      sut.stop();
      machine.wakeAt = 1_200;
    };
    sut.start();

    jest.advanceTimersByTime(1_000);
    expect(machine.calls).toEqual(['start@1000', 'wake@1100']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('driver - a machine that always wants waking now is paused instead of spinning', () => {
    machine.wakeAt = 1_000;
    machine.onWake = (now) => {
      machine.wakeAt = now;
    };
    sut.start();
    const wakes = () => machine.calls.filter((call) => call.startsWith('wake')).length;

    // As in Node, a 0 ms timer set from a timer runs 1 ms later: 1000 wake-ups (SPIN_LIMIT)
    // from 1000 to 1999, then the driver backs off for SPIN_PAUSE_MS (50).
    jest.advanceTimersByTime(999);
    expect(wakes()).toBe(1000);
    jest.advanceTimersByTime(49);
    expect(wakes()).toBe(1000);
    jest.advanceTimersByTime(1);
    expect(wakes()).toBe(1001);
    // Still stuck: one wake-up per pause from now on.
    jest.advanceTimersByTime(1_000);
    expect(wakes()).toBe(1021);
  });

  it('driver - a stuck machine that recovers gets its exact wake-ups back', () => {
    machine.wakeAt = 1_000;
    machine.onWake = (now) => {
      machine.wakeAt = now;
    };
    sut.start();
    jest.advanceTimersByTime(1_100); // stuck: paused wake-ups at 2049 and 2099
    machine.onWake = (now) => {
      machine.wakeAt = now + 10;
    };

    jest.advanceTimersByTime(80);

    const wakeTimes = machine.calls
      .filter((call) => call.startsWith('wake@'))
      .map((call) => Number(call.slice('wake@'.length)))
      .filter((at) => at > 2_000);
    // The pause already armed runs out at 2149; from then on the wake-ups are exact.
    expect(wakeTimes).toEqual([2_049, 2_099, 2_149, 2_159, 2_169, 2_179]);
  });
});
