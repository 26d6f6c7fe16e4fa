import { addressOf } from '../core/address.js';
import type { Effect } from '../core/effects.js';
import { Membership } from './membership.js';
import { viewIdOf } from './view-id.js';

const settings = { pingTimeoutMs: 2000, pingAttempts: 3, failuresToRemove: 2 };

/** Nodes pinged by these effects, with the nonce used. */
const pinged = (effects: readonly Effect[]) =>
  effects.flatMap((effect) =>
    effect.kind === 'send' && effect.message.type === 'ping'
      ? [`${effect.to.node}:${effect.message.nonce}`]
      : [],
  );

describe(Membership.name, () => {
  let sut: Membership;

  beforeEach(() => {
    sut = new Membership('n1', ['n10', 'n2', 'n1', 'n3'], settings);
  });

  /** Runs one whole check from `start`; only the nodes in `answering` answer, at once. */
  const runCheck = (start: number, answering: readonly string[] = []) => {
    const started = sut.startCheck(start);
    const first = started[0];
    const nonce =
      first?.kind === 'send' && first.message.type === 'ping' ? first.message.nonce : -1;
    const pings = pinged(started);
    let removed: string[] = [];
    for (let attempt = 1; attempt <= settings.pingAttempts; attempt++) {
      for (const node of answering) sut.onPong(node, nonce);
      const result = sut.onCheckDeadline(start + attempt * settings.pingTimeoutMs);
      pings.push(...pinged(result.effects));
      removed = result.removed;
    }
    return { pings, removed };
  };

  it('membership - lists members in natural order, n2 before n10', () => {
    expect(sut.members()).toEqual(['n1', 'n2', 'n3', 'n10']);
  });

  it('membership - always counts itself as a member', () => {
    sut = new Membership('n5', ['n1'], settings);

    expect(sut.members()).toEqual(['n1', 'n5']);
    expect(sut.remove('n5')).toBe(false);
    expect(sut.has('n5')).toBe(true);
  });

  it('membership - adds a node once and changes the view id', () => {
    const before = sut.viewId();

    expect(sut.add('n4')).toBe(true);
    expect(sut.add('n4')).toBe(false);
    expect(sut.viewId()).not.toBe(before);
    expect(sut.viewId()).toBe(viewIdOf(['n1', 'n2', 'n3', 'n4', 'n10']));
  });

  it('membership - a check pings every other member with its view id', () => {
    const effects = sut.startCheck(0);

    expect(effects).toEqual(
      ['n10', 'n2', 'n3'].map((node) => ({
        kind: 'send',
        to: addressOf(node, 'controller'),
        message: { type: 'ping', from: 'n1', nonce: 1, viewId: sut.viewId() },
      })),
    );
    expect(sut.checkDeadline).toBe(settings.pingTimeoutMs);
  });

  it('membership - does not start a second check while one runs', () => {
    sut.startCheck(0);

    expect(sut.startCheck(100)).toEqual([]);
  });

  it('membership - pings again only the members that have not answered, pingAttempts times per check', () => {
    const first = pinged(sut.startCheck(0));
    sut.onPong('n2', 1);

    expect(sut.onCheckDeadline(1999)).toEqual({ effects: [], removed: [] });
    const second = pinged(sut.onCheckDeadline(2000).effects);
    sut.onPong('n3', 1);
    const third = pinged(sut.onCheckDeadline(4000).effects);
    const end = sut.onCheckDeadline(6000);

    expect(first).toEqual(['n10:1', 'n2:1', 'n3:1']);
    expect(second).toEqual(['n10:1', 'n3:1']);
    expect(third).toEqual(['n10:1']);
    expect(end).toEqual({ effects: [], removed: [] });
    expect(sut.checking).toBe(false);
  });

  it('membership - removes a member only after failuresToRemove failed checks in a row', () => {
    const first = runCheck(0, ['n2', 'n3']);

    expect(first.pings.filter((ping) => ping.startsWith('n10:'))).toHaveLength(
      settings.pingAttempts,
    );
    expect(first.removed).toEqual([]);
    expect(sut.has('n10')).toBe(true);

    const second = runCheck(10_000, ['n2', 'n3']);

    expect(second.removed).toEqual(['n10']);
    expect(sut.has('n10')).toBe(false);
    expect(sut.has('n2')).toBe(true);
  });

  it('membership - one answered ping resets the failure count', () => {
    runCheck(0, ['n2', 'n3']);
    sut.startCheck(10_000);
    sut.onCheckDeadline(12_000);
    sut.onPong('n10', 2);
    sut.onPong('n2', 2);
    sut.onPong('n3', 2);
    sut.onCheckDeadline(14_000);
    sut.onCheckDeadline(16_000);

    const third = runCheck(20_000, ['n2', 'n3']);
    const fourth = runCheck(30_000, ['n2', 'n3']);

    expect(third.removed).toEqual([]);
    expect(fourth.removed).toEqual(['n10']);
  });

  it('membership - stops pinging a member removed during a check', () => {
    sut.startCheck(0);

    sut.remove('n10');

    expect(pinged(sut.onCheckDeadline(2000).effects)).toEqual(['n2:1', 'n3:1']);
  });

  it('membership - names the nodes of a member list it does not know and probes them with nonce 0', () => {
    const unknown = sut.unknownAmong(['n1', 'n2', 'n7']);

    expect(unknown).toEqual(['n7']);
    expect(sut.probe('n7', 0)).toEqual({
      kind: 'send',
      to: addressOf('n7', 'controller'),
      message: { type: 'ping', from: 'n1', nonce: 0, viewId: sut.viewId() },
    });
  });

  it('membership - probes a node learnt from gossip at most once per check length', () => {
    const checkMs = 2000 * 3;
    expect(sut.probe('n7', 0)).not.toBeNull();
    expect(sut.probe('n7', checkMs - 1)).toBeNull();
    expect(sut.probe('n7', checkMs)).not.toBeNull();
    expect(sut.has('n7')).toBe(false);
  });
});
