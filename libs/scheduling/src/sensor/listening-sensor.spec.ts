import { addressOf } from '../core/address.js';
import type { SlotRequest } from '../core/messages.js';
import { NEVER_MEASURED } from '../core/messages.js';
import { eventsOf, sentOf } from '../testing/effect-queries.js';
import { ListeningSensor } from './listening-sensor.js';

const LISTENING = 1000;
const LOCK = 20_000;
const controller = addressOf('s1', 'controller');

function request(monitor: string, priority: number, id = `${monitor}#1`, attempt = 0): SlotRequest {
  return { type: 'slot-request', requestId: id, monitor, priority, attempt };
}

describe(ListeningSensor.name, () => {
  let sut: ListeningSensor;

  beforeEach(() => {
    sut = new ListeningSensor('s1', { lockMs: LOCK, listeningMs: LISTENING, eventMs: 10_000 });
  });

  const activate = (now = 0): void =>
    void sut.receive(controller, { type: 'role', active: true, epoch: 1 }, now);
  const ask = (req: SlotRequest, now: number) =>
    sut.receive(addressOf(req.monitor, 'monitor'), req, now);

  it('sensor - denies every request while its node is in monitor mode', () => {
    const effects = ask(request('m1', NEVER_MEASURED), 0);
    expect(sentOf(effects, 'slot-deny').map((d) => d.message.reason)).toEqual(['not-sensor']);
    expect(sentOf(effects, 'slot-grant')).toEqual([]);
  });

  it('sensor - keeps the first request during listening and answers nothing yet', () => {
    activate(0);
    const effects = ask(request('m1', 5000), 100);
    expect(effects.filter((e) => e.kind === 'send')).toEqual([]);
    expect(sut.keptRequest?.monitor).toBe('m1');
    expect(sut.nextWakeAt()).toBe(LISTENING);
  });

  it('sensor - denies a lower-priority request during listening at once', () => {
    activate(0);
    ask(request('m1', 5000), 100);
    const effects = ask(request('m2', 4000), 200);
    expect(sentOf(effects, 'slot-deny')).toEqual([
      expect.objectContaining({
        to: addressOf('m2', 'monitor'),
        message: expect.objectContaining({ reason: 'lower-priority' }),
      }),
    ]);
    expect(sut.keptRequest?.monitor).toBe('m1');
  });

  it('sensor - replaces the kept request with a higher one and denies the one it kept', () => {
    activate(0);
    ask(request('m1', 5000), 100);
    const effects = ask(request('m2', NEVER_MEASURED), 200);
    expect(sentOf(effects, 'slot-deny').map((d) => d.to.node)).toEqual(['m1']);
    expect(sut.keptRequest?.monitor).toBe('m2');
  });

  it('sensor - keeps the earlier request on equal priority', () => {
    activate(0);
    ask(request('m1', NEVER_MEASURED), 100);
    const effects = ask(request('m2', NEVER_MEASURED), 200);
    expect(sentOf(effects, 'slot-deny').map((d) => d.to.node)).toEqual(['m2']);
  });

  it('sensor - grants the kept request when the listening period expires', () => {
    activate(0);
    ask(request('m1', 5000), 100);
    expect(sut.wake(999)).toEqual([]);
    const effects = sut.wake(LISTENING);
    const grants = sentOf(effects, 'slot-grant');
    expect(grants).toHaveLength(1);
    expect(grants[0].to).toEqual(addressOf('m1', 'monitor'));
    expect(grants[0].message).toMatchObject({
      requestId: 'm1#1',
      leaseMs: LOCK,
      fencingToken: 1,
      attempt: 0,
    });
    expect(sut.currentLock).toMatchObject({ holder: 'm1', until: LISTENING + LOCK });
  });

  it('sensor - grants at once after a quiet listening period', () => {
    activate(0);
    sut.wake(LISTENING);
    const effects = ask(request('m1', 10), 5000);
    expect(sentOf(effects, 'slot-grant').map((g) => g.to.node)).toEqual(['m1']);
  });

  it('sensor - denies everyone as busy while locked', () => {
    activate(0);
    sut.wake(LISTENING);
    ask(request('m1', 10), 5000);
    const effects = ask(request('m2', NEVER_MEASURED), 6000);
    expect(sentOf(effects, 'slot-deny').map((d) => d.message.reason)).toEqual(['busy']);
  });

  it('sensor - answers a retried request of the holder with the same grant, not a new lock', () => {
    activate(0);
    sut.wake(LISTENING);
    ask(request('m1', 10), 5000);
    const effects = ask(request('m1', 10, 'm1#1', 1), 5500);
    expect(sentOf(effects, 'slot-grant')[0].message).toMatchObject({ fencingToken: 1, attempt: 0 });
    expect(sut.currentLock?.until).toBe(5000 + LOCK);
  });

  it('sensor - is released by the holder and listens again', () => {
    activate(0);
    sut.wake(LISTENING);
    ask(request('m1', 10), 5000);
    sut.receive(
      addressOf('m1', 'monitor'),
      { type: 'slot-release', requestId: 'm1#1', monitor: 'm1', fencingToken: 1 },
      9000,
    );
    expect(sut.currentLock).toBeNull();
    expect(sut.nextWakeAt()).toBe(9000 + LISTENING);
    ask(request('m2', 10, 'm2#1'), 9100);
    expect(sut.keptRequest?.monitor).toBe('m2');
  });

  it('sensor - ignores a release with a stale fencing token', () => {
    activate(0);
    sut.wake(LISTENING);
    ask(request('m1', 10), 5000);
    sut.receive(
      addressOf('m1', 'monitor'),
      { type: 'slot-release', requestId: 'm1#1', monitor: 'm1', fencingToken: 7 },
      9000,
    );
    expect(sut.currentLock?.holder).toBe('m1');
  });

  it('sensor - lets the lock lapse when the holder vanishes, then serves others', () => {
    activate(0);
    sut.wake(LISTENING);
    ask(request('m1', 10), 5000);
    expect(sut.nextWakeAt()).toBe(5000 + LOCK);
    const effects = sut.wake(5000 + LOCK);
    expect(eventsOf(effects)).toContainEqual({
      type: 'lease-expired',
      sensor: 's1',
      monitor: 'm1',
      fencingToken: 1,
    });
    expect(sut.currentLock).toBeNull();
    sut.wake(5000 + LOCK + LISTENING);
    const next = ask(request('m2', 10, 'm2#1'), 5000 + LOCK + LISTENING + 1);
    expect(sentOf(next, 'slot-grant')[0].message.fencingToken).toBe(2);
  });

  it('sensor - fencing tokens increase with every grant', () => {
    activate(0);
    const tokens: number[] = [];
    let now = LISTENING;
    for (let i = 1; i <= 3; i++) {
      sut.wake(now);
      const grant = sentOf(ask(request(`m${i}`, 10, `m${i}#1`), now + 1), 'slot-grant')[0];
      tokens.push(grant.message.fencingToken);
      sut.receive(
        addressOf(`m${i}`, 'monitor'),
        {
          type: 'slot-release',
          requestId: `m${i}#1`,
          monitor: `m${i}`,
          fencingToken: grant.message.fencingToken,
        },
        now + 2,
      );
      now += 2 + LISTENING;
    }
    expect(tokens).toEqual([1, 2, 3]);
  });

  it('sensor - standing down denies the kept request and reports idle at once when unlocked', () => {
    activate(0);
    ask(request('m1', 10), 100);
    const effects = sut.receive(controller, { type: 'role', active: false, epoch: 2 }, 200);
    expect(sentOf(effects, 'slot-deny').map((d) => d.message.reason)).toEqual(['not-sensor']);
    expect(sentOf(effects, 'module-idle').map((m) => m.message)).toEqual([
      { type: 'module-idle', module: 'sensor', epoch: 2 },
    ]);
  });

  it('sensor - standing down while locked reports idle only when the lock ends', () => {
    activate(0);
    sut.wake(LISTENING);
    ask(request('m1', 10), 5000);
    const standDown = sut.receive(controller, { type: 'role', active: false, epoch: 2 }, 6000);
    expect(sentOf(standDown, 'module-idle')).toEqual([]);
    const released = sut.receive(
      addressOf('m1', 'monitor'),
      { type: 'slot-release', requestId: 'm1#1', monitor: 'm1', fencingToken: 1 },
      7000,
    );
    expect(sentOf(released, 'module-idle').map((m) => m.message.epoch)).toEqual([2]);
  });

  it('sensor - ignores role commands that do not come from its own controller', () => {
    sut.receive(addressOf('other', 'controller'), { type: 'role', active: true, epoch: 1 }, 0);
    expect(sut.isActive).toBe(false);
  });
});
