import { ALGORITHMS } from '../algorithms/algorithms.js';
import { defaultSchedulerConfig, mergeSchedulerConfig } from '../config/scheduler-config.js';
import { addressOf, type NodeId } from '../core/address.js';
import type { Effect } from '../core/effects.js';
import type { SchedulerMessage } from '../core/messages.js';
import { SeededRandom } from '../core/random.js';
import { ScriptedNetwork, scriptedRandom } from '../testing/scripted-network.js';
import { TokenRingController } from './token-ring-controller.js';
import { eventsOf } from '../testing/effect-queries.js';

// Liveness checks are pushed out of the way: these tests are about the token alone.
const config = mergeSchedulerConfig(defaultSchedulerConfig(1000), {
  livenessIntervalMs: 1e9,
  rr: { tokenAckTimeoutMs: 500, tokenPassAttempts: 3 },
});
/** Natural order n2, n9, n10: n2 starts with the token. */
const members = ['n10', 'n2', 'n9'];
/** How long a hold may last before the token counts as lost (token-ring-controller.ts). */
const fullHoldMs = (members.length - 1) * (config.lockMs + 1000) + 2 * config.graceMs;
const ackMs = config.rr.tokenAckTimeoutMs;

const controller = (node: NodeId): TokenRingController =>
  // The ring draws no random numbers: any draw fails the test.
  new TokenRingController({ node, members, config, random: scriptedRandom() });

const messagesOf = (effects: readonly Effect[]): { to: string; message: SchedulerMessage }[] =>
  effects.flatMap((effect) => {
    if (effect.kind === 'send')
      return [{ to: `${effect.to.node}/${effect.to.module}`, message: effect.message }];
    if (effect.kind === 'broadcast') return [{ to: `*/${effect.module}`, message: effect.message }];
    return [];
  });
const tokenPasses = (effects: readonly Effect[]) =>
  messagesOf(effects).filter(({ message }) => message.type === 'token-pass');

const idle = (module: 'sensor' | 'monitor', epoch: number): SchedulerMessage => ({
  type: 'module-idle',
  module,
  epoch,
});

describe(TokenRingController.name, () => {
  describe('the first holder', () => {
    let sut: TokenRingController;

    beforeEach(() => {
      sut = controller('n2');
    });

    it('token ring - the first member in natural order starts with the token and stands its sensor down', () => {
      const effects = sut.start(0);

      expect(messagesOf(effects)).toEqual(
        expect.arrayContaining([
          { to: 'n2/sensor', message: { type: 'role', active: true, epoch: 1 } },
          { to: '*/controller', message: { type: 'token-holder', node: 'n2', generation: 1 } },
          { to: 'n2/sensor', message: { type: 'role', active: false, epoch: 2 } },
        ]),
      );
      expect(sut.holdsToken).toBe(true);
      expect(sut.currentRole).toBeNull();
    });

    it('token ring - the holder becomes monitor once its sensor reports idle', () => {
      sut.start(0);

      const effects = sut.receive(addressOf('n2', 'sensor'), idle('sensor', 2), 10);

      expect(messagesOf(effects)).toEqual([
        { to: 'n2/monitor', message: { type: 'role', active: true, epoch: 3 } },
      ]);
      expect(eventsOf(effects)).toEqual([{ type: 'role-switched', node: 'n2', role: 'monitor' }]);
      expect(sut.currentRole).toBe('monitor');
    });

    it('token ring - ignores an idle report from an older role command', () => {
      sut.start(0);

      expect(sut.receive(addressOf('n2', 'sensor'), idle('sensor', 1), 10)).toEqual([]);
      expect(sut.currentRole).toBeNull();
    });

    it('token ring - becomes monitor at the end of the grace time when no idle report comes', () => {
      sut.start(0);

      expect(sut.nextWakeAt()).toBe(config.graceMs);
      const effects = sut.wake(config.graceMs);

      expect(eventsOf(effects)).toEqual([
        { type: 'grace-expired', node: 'n2', module: 'sensor' },
        { type: 'role-switched', node: 'n2', role: 'monitor' },
      ]);
      expect(sut.currentRole).toBe('monitor');
    });

    it('token ring - becomes sensor again when its own monitor completes the round, then passes the token', () => {
      sut.start(0);
      sut.receive(addressOf('n2', 'sensor'), idle('sensor', 2), 10);

      const standDown = sut.receive(
        addressOf('n2', 'monitor'),
        { type: 'round-complete', epoch: 3 },
        1000,
      );
      const switched = sut.receive(addressOf('n2', 'monitor'), idle('monitor', 4), 1100);

      expect(messagesOf(standDown)).toEqual([
        { to: 'n2/monitor', message: { type: 'role', active: false, epoch: 4 } },
      ]);
      expect(messagesOf(switched)).toEqual([
        { to: 'n2/sensor', message: { type: 'role', active: true, epoch: 5 } },
        { to: 'n9/controller', message: { type: 'token-pass', from: 'n2', generation: 1 } },
      ]);
      expect(sut.holdsToken).toBe(false);
    });

    it('token ring - ignores a round-complete from another node', () => {
      sut.start(0);
      sut.receive(addressOf('n2', 'sensor'), idle('sensor', 2), 10);

      expect(
        sut.receive(addressOf('n9', 'monitor'), { type: 'round-complete', epoch: 3 }, 1000),
      ).toEqual([]);
      expect(sut.currentRole).toBe('monitor');
    });

    describe('passing the token', () => {
      const passedAt = 1100;

      beforeEach(() => {
        sut.start(0);
        sut.receive(addressOf('n2', 'sensor'), idle('sensor', 2), 10);
        sut.receive(addressOf('n2', 'monitor'), { type: 'round-complete', epoch: 3 }, 1000);
        sut.receive(addressOf('n2', 'monitor'), idle('monitor', 4), passedAt);
      });

      it('token ring - retries an unacknowledged pass every ack timeout, then tries the next member', () => {
        const passes: ReturnType<typeof tokenPasses> = [];

        expect(tokenPasses(sut.wake(passedAt + ackMs - 1))).toEqual([]);
        for (let i = 1; i <= config.rr.tokenPassAttempts; i++) {
          expect(sut.nextWakeAt()).toBe(passedAt + i * ackMs);
          passes.push(...tokenPasses(sut.wake(passedAt + i * ackMs)));
        }

        // tokenPassAttempts tries in all to n9 (the first one at the pass), then n10.
        expect(passes.map(({ to }) => to)).toEqual([
          ...Array<string>(config.rr.tokenPassAttempts - 1).fill('n9/controller'),
          'n10/controller',
        ]);
        expect(
          passes.every(({ message }) => message.type === 'token-pass' && message.generation === 1),
        ).toBe(true);
      });

      it('token ring - stops retrying once the successor acknowledges', () => {
        sut.receive(
          addressOf('n9', 'controller'),
          { type: 'token-ack', from: 'n9', generation: 1 },
          passedAt + 100,
        );

        expect(sut.nextWakeAt()).toBe(config.livenessIntervalMs);
        expect(tokenPasses(sut.wake(passedAt + 10 * ackMs))).toEqual([]);
      });

      it('token ring - ignores an acknowledgement from another node or of another generation', () => {
        sut.receive(
          addressOf('n10', 'controller'),
          { type: 'token-ack', from: 'n10', generation: 1 },
          passedAt + 100,
        );
        sut.receive(
          addressOf('n9', 'controller'),
          { type: 'token-ack', from: 'n9', generation: 7 },
          passedAt + 200,
        );

        expect(messagesOf(sut.wake(passedAt + ackMs))).toEqual([
          { to: 'n9/controller', message: { type: 'token-pass', from: 'n2', generation: 1 } },
        ]);
      });
    });

    it('token ring - drops its token on hearing a holder of a newer generation', () => {
      sut.start(0);
      sut.receive(addressOf('n2', 'sensor'), idle('sensor', 2), 10);

      const heard = sut.receive(
        addressOf('n9', 'controller'),
        { type: 'token-holder', node: 'n9', generation: 2 },
        500,
      );
      const switched = sut.receive(addressOf('n2', 'monitor'), idle('monitor', 4), 600);

      expect(sut.holdsToken).toBe(false);
      expect(sut.generation).toBe(2);
      expect(messagesOf(heard)).toEqual([
        { to: 'n2/monitor', message: { type: 'role', active: false, epoch: 4 } },
      ]);
      // Back to sensor without handing the stale token on.
      expect(messagesOf(switched)).toEqual([
        { to: 'n2/sensor', message: { type: 'role', active: true, epoch: 5 } },
      ]);
    });
  });

  describe('a member without the token', () => {
    let sut: TokenRingController;

    beforeEach(() => {
      sut = controller('n9');
    });

    it('token ring - starts as a sensor without the token', () => {
      const effects = sut.start(0);

      // The scope (all pairs until told otherwise) goes before the role: a monitor never
      // measures before it knows its scope.
      expect(messagesOf(effects).filter(({ message }) => message.type !== 'members')).toEqual([
        { to: 'n9/monitor', message: { type: 'intents', scope: { mode: 'all' } } },
        { to: 'n9/sensor', message: { type: 'intents', scope: { mode: 'all' } } },
        { to: 'n9/sensor', message: { type: 'role', active: true, epoch: 1 } },
      ]);
      expect(sut.holdsToken).toBe(false);
      expect(sut.currentRole).toBe('sensor');
    });

    it('token ring - takes a passed token, acknowledges it and announces itself', () => {
      sut.start(0);
      sut.receive(
        addressOf('n2', 'controller'),
        { type: 'token-holder', node: 'n2', generation: 1 },
        0,
      );

      const effects = sut.receive(
        addressOf('n2', 'controller'),
        { type: 'token-pass', from: 'n2', generation: 1 },
        2000,
      );

      expect(messagesOf(effects)).toEqual([
        { to: 'n2/controller', message: { type: 'token-ack', from: 'n9', generation: 1 } },
        { to: '*/controller', message: { type: 'token-holder', node: 'n9', generation: 1 } },
        { to: 'n9/sensor', message: { type: 'role', active: false, epoch: 2 } },
      ]);
      expect(sut.holdsToken).toBe(true);
    });

    it('token ring - acknowledges a repeated pass without taking the token twice', () => {
      sut.start(0);
      const pass: SchedulerMessage = { type: 'token-pass', from: 'n2', generation: 1 };
      sut.receive(addressOf('n2', 'controller'), pass, 2000);

      const effects = sut.receive(addressOf('n2', 'controller'), pass, 2500);

      expect(messagesOf(effects)).toEqual([
        { to: 'n2/controller', message: { type: 'token-ack', from: 'n9', generation: 1 } },
      ]);
    });

    it('token ring - regenerates the token with the next generation after hearing nothing for a full hold', () => {
      sut.start(0);
      sut.receive(
        addressOf('n2', 'controller'),
        { type: 'token-holder', node: 'n2', generation: 1 },
        0,
      );

      expect(sut.nextWakeAt()).toBe(fullHoldMs);
      expect(eventsOf(sut.wake(fullHoldMs - 1))).toEqual([]);
      const effects = sut.wake(fullHoldMs);

      expect(eventsOf(effects)).toContainEqual({
        type: 'token-regenerated',
        node: 'n9',
        generation: 2,
      });
      expect(messagesOf(effects)).toContainEqual({
        to: '*/controller',
        message: { type: 'token-holder', node: 'n9', generation: 2 },
      });
      expect(sut.holdsToken).toBe(true);
    });

    it('token ring - counts the full hold from the last holder it heard of', () => {
      sut.start(0);

      sut.receive(
        addressOf('n10', 'controller'),
        { type: 'token-holder', node: 'n10', generation: 3 },
        5000,
      );

      // n9 is two places after n10 (n10 -> n2 -> n9): it waits one grace time longer.
      expect(sut.nextWakeAt()).toBe(5000 + fullHoldMs + config.graceMs);
    });
  });

  it("token ring - the lost holder's successor regenerates first and the others stand back", () => {
    const net = new ScriptedNetwork();
    const n9 = controller('n9');
    const n10 = controller('n10');
    net.add(n9, n10);
    net.start();
    // n2 announced itself and then crashed: it is not on the network.
    net.apply(addressOf('n2', 'controller'), [
      {
        kind: 'broadcast',
        module: 'controller',
        message: { type: 'token-holder', node: 'n2', generation: 1 },
      },
    ]);

    net.runUntil(fullHoldMs + 2 * config.graceMs);

    expect(net.events.filter(({ event }) => event.type === 'token-regenerated')).toEqual([
      { at: fullHoldMs, event: { type: 'token-regenerated', node: 'n9', generation: 2 } },
    ]);
    expect(n10.holdsToken).toBe(false);
    expect(n10.generation).toBe(2);
  });

  it("token ring - only the lost holder's successor regenerates after the holder was removed", () => {
    const n9 = controller('n9');
    const n10 = controller('n10');
    n9.start(0);
    n10.start(0);
    // n2, the first holder, leaves: both survivors drop it from their view.
    n9.receive(addressOf('n2', 'controller'), { type: 'goodbye', node: 'n2' }, 10);
    n10.receive(addressOf('n2', 'controller'), { type: 'goodbye', node: 'n2' }, 10);

    const holdOfTwo = 1 * (config.lockMs + 1000) + 2 * config.graceMs;
    expect(n9.nextWakeAt()).toBe(holdOfTwo);
    expect(n10.nextWakeAt()).toBe(holdOfTwo + config.graceMs);
  });

  it('token ring - of two tokens with the same generation the one held earlier in natural order survives', () => {
    const n9 = controller('n9');
    n9.start(0);
    n9.receive(
      addressOf('n10', 'controller'),
      { type: 'token-pass', from: 'n10', generation: 5 },
      10,
    );
    expect(n9.holdsToken).toBe(true);

    n9.receive(
      addressOf('n10', 'controller'),
      { type: 'token-holder', node: 'n10', generation: 5 },
      20,
    );
    expect(n9.holdsToken).toBe(true);
    n9.receive(
      addressOf('n2', 'controller'),
      { type: 'token-holder', node: 'n2', generation: 5 },
      30,
    );
    expect(n9.holdsToken).toBe(false);
  });

  it('token ring - the token visits every member in natural order and each holder measures all others', () => {
    const net = new ScriptedNetwork({ probeMs: 500 });
    const random = new SeededRandom(7);
    for (const node of members) {
      const agent = ALGORITHMS.rr.create({ node, members, config, random });
      net.add(agent.controller, agent.sensor, agent.monitor);
    }
    net.start();

    net.runUntil(30_000);

    // Each announcement reaches both other nodes: collapse the copies.
    const holders = net.sent('token-holder').map(({ message }) => message.node);
    const distinctInOrder = holders.filter((node, i) => node !== holders[i - 1]);
    expect(distinctInOrder.slice(0, 4)).toEqual(['n2', 'n9', 'n10', 'n2']);
    expect(net.probes.slice(0, 6).map(({ order }) => `${order.monitor}>${order.sensor}`)).toEqual([
      'n2>n9',
      'n2>n10',
      'n9>n10',
      'n9>n2',
      'n10>n2',
      'n10>n9',
    ]);
    expect(net.events.some(({ event }) => event.type === 'token-regenerated')).toBe(false);
  });
});
