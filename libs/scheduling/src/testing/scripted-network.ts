import type { Address, ModuleKind, NodeId } from '../core/address.js';
import type { Effect, ProbeOrder, ProbeOutcome, SchedulerEvent } from '../core/effects.js';
import type { SchedulerMachine } from '../core/machine.js';
import type { SchedulerMessage } from '../core/messages.js';
import type { RandomSource } from '../core/random.js';
import type { Millis } from '../core/time.js';

/** A RandomSource that returns queued values in order and throws once they run out. */
export interface ScriptedRandom extends RandomSource {
  /** Values not drawn yet. */
  readonly remaining: readonly number[];
  push(...values: number[]): void;
}

/**
 * Test randomness: every draw must have been scripted, so a test fails loudly when a
 * machine draws more (or other) numbers than the scenario expects.
 */
export function scriptedRandom(...values: number[]): ScriptedRandom {
  const queue = [...values];
  return {
    get remaining() {
      return [...queue];
    },
    push: (...more) => void queue.push(...more),
    next: () => {
      const value = queue.shift();
      if (value === undefined) throw new Error('scriptedRandom: unexpected draw');
      return value;
    },
  };
}

/** One message the network handled; `delivered` is false when it was dropped or had no recipient. */
export interface Delivery {
  readonly at: Millis;
  readonly from: Address;
  readonly to: Address;
  readonly message: SchedulerMessage;
  readonly delivered: boolean;
}

interface ProbeRunner {
  probeFinished(outcome: ProbeOutcome, now: Millis): Effect[];
}

const keyOf = (address: Address): string => `${address.node}/${address.module}`;

/**
 * A tiny synchronous network for multi-machine tests. Messages arrive at once and in FIFO
 * order (a message sent while handling another is delivered after it); `runUntil` moves the
 * clock from wake-up to wake-up, so the machines' own deadlines drive the scenario. A
 * broadcast reaches every machine of that module kind except the sender's node, as in the
 * simulator. A message to an address with no machine is recorded but not delivered: that is
 * how a test models a crashed node or inspects what a lone machine sends.
 */
export class ScriptedNetwork {
  now: Millis;
  readonly deliveries: Delivery[] = [];
  readonly events: { readonly at: Millis; readonly event: SchedulerEvent }[] = [];
  readonly probes: { readonly at: Millis; readonly order: ProbeOrder }[] = [];
  /** Messages for which this returns true are lost. */
  drop: (from: Address, to: Address, message: SchedulerMessage) => boolean = () => false;

  private readonly machines = new Map<string, SchedulerMachine>();
  private readonly queue: { from: Address; to: Address; message: SchedulerMessage }[] = [];
  private readonly probeEnds: { at: Millis; monitor: Address; outcome: ProbeOutcome }[] = [];
  private readonly probeMs: Millis | null;
  private flushing = false;

  /** With `probeMs`, every probe ends (ok) that long after it started; without, call `finishProbe`. */
  constructor(options: { now?: Millis; probeMs?: Millis } = {}) {
    this.now = options.now ?? 0;
    this.probeMs = options.probeMs ?? null;
  }

  add(...machines: SchedulerMachine[]): this {
    for (const machine of machines) this.machines.set(keyOf(machine.address), machine);
    return this;
  }

  /** The node crashes: its machines vanish and messages to them are lost. */
  remove(node: NodeId): void {
    for (const [key, machine] of this.machines)
      if (machine.address.node === node) this.machines.delete(key);
  }

  /** Starts every machine at the same instant: no message moves before all have started. */
  start(): void {
    for (const machine of [...this.machines.values()])
      this.enqueue(machine.address, machine.start(this.now));
    this.flush();
  }

  /** Delivers a message as if `from` had sent it now. */
  inject(from: Address, to: Address, message: SchedulerMessage): void {
    this.apply(from, [{ kind: 'send', to, message }]);
  }

  /** Routes the effects a machine returned from a call the test made itself. */
  apply(from: Address, effects: readonly Effect[]): void {
    this.enqueue(from, effects);
    this.flush();
  }

  private enqueue(from: Address, effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (effect.kind === 'send') this.queue.push({ from, to: effect.to, message: effect.message });
      else if (effect.kind === 'broadcast') {
        for (const machine of this.machines.values()) {
          const to = machine.address;
          if (to.module === effect.module && to.node !== from.node)
            this.queue.push({ from, to, message: effect.message });
        }
      } else if (effect.kind === 'event') this.events.push({ at: this.now, event: effect.event });
      else {
        this.probes.push({ at: this.now, order: effect.probe });
        if (this.probeMs !== null) {
          const outcome = { measurementId: effect.probe.measurementId, ok: true };
          this.probeEnds.push({ at: this.now + this.probeMs, monitor: from, outcome });
        }
      }
    }
  }

  /** Reports a probe as ended to the monitor that started it. */
  finishProbe(measurementId: string, ok = true): void {
    const started = this.probes.find((probe) => probe.order.measurementId === measurementId);
    if (!started) throw new Error(`finishProbe: no probe ${measurementId}`);
    const monitor = { node: started.order.monitor, module: 'monitor' as const };
    const machine = this.machines.get(keyOf(monitor)) as
      (SchedulerMachine & ProbeRunner) | undefined;
    if (machine) this.apply(monitor, machine.probeFinished({ measurementId, ok }, this.now));
  }

  /** Wakes machines (and ends auto-finished probes) in time order up to `until`, then sets the clock to it. */
  runUntil(until: Millis): void {
    // A machine whose deadline does not move after a wake would loop for ever: fail instead.
    for (let step = 0; step < 100_000; step++) {
      const probeEnd = this.probeEnds.reduce<(typeof this.probeEnds)[number] | null>(
        (best, end) => (best === null || end.at < best.at ? end : best),
        null,
      );
      let due: SchedulerMachine | null = null;
      let dueAt = probeEnd?.at ?? Infinity;
      for (const machine of this.machines.values()) {
        const at = machine.nextWakeAt();
        if (at !== null && at < dueAt) [due, dueAt] = [machine, at];
      }
      if (dueAt > until) {
        this.now = Math.max(this.now, until);
        return;
      }
      this.now = Math.max(this.now, dueAt);
      if (due) {
        this.apply(due.address, due.wake(this.now));
      } else if (probeEnd) {
        this.probeEnds.splice(this.probeEnds.indexOf(probeEnd), 1);
        const machine = this.machines.get(keyOf(probeEnd.monitor)) as
          (SchedulerMachine & ProbeRunner) | undefined;
        if (machine)
          this.apply(probeEnd.monitor, machine.probeFinished(probeEnd.outcome, this.now));
      }
    }
    throw new Error(`runUntil(${until}): too many wake-ups at ${this.now}; a machine is spinning`);
  }

  runFor(ms: Millis): void {
    this.runUntil(this.now + ms);
  }

  /** Messages of one type the network handled (delivered or not), optionally only those to one module kind. */
  sent<T extends SchedulerMessage['type']>(
    type: T,
    module?: ModuleKind,
  ): (Delivery & { message: Extract<SchedulerMessage, { type: T }> })[] {
    return this.deliveries.filter(
      (d): d is Delivery & { message: Extract<SchedulerMessage, { type: T }> } =>
        d.message.type === type && (module === undefined || d.to.module === module),
    );
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const machine = this.machines.get(keyOf(next.to));
        const delivered = machine !== undefined && !this.drop(next.from, next.to, next.message);
        this.deliveries.push({ at: this.now, ...next, delivered });
        if (delivered) this.apply(next.to, machine.receive(next.from, next.message, this.now));
      }
    } finally {
      this.flushing = false;
    }
  }
}
