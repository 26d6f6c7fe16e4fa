import type { Address, Effect, SchedulerMachine, SchedulerMessage } from '@meshmon/scheduling';

/** Where the driver gets "now": wall-clock milliseconds in the services, a fake in tests. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A machine asking to be woken at "now" this many times in a row is stuck. */
const SPIN_LIMIT = 1000;
/** How long a stuck machine is left alone before the next wake, so it cannot eat a core. */
const SPIN_PAUSE_MS = 50;

/**
 * Runs one sans-IO scheduling machine in real time: feeds it messages, keeps exactly one
 * timer armed for its next wake-up, and hands every effect to the sink. The service is
 * the sink; the machine never sees NATS, Redis or a timer.
 */
export class MachineDriver<M extends SchedulerMachine> {
  private timer: NodeJS.Timeout | null = null;
  private armedFor: number | null = null;
  private spins = 0;
  private stopped = false;

  constructor(
    readonly machine: M,
    private readonly sink: (effects: readonly Effect[]) => void,
    private readonly clock: Clock = systemClock,
    /** Where a failure inside a timer goes: it has no caller to throw to. */
    private readonly onTimerError: (error: unknown) => void = (error) =>
      process.stderr.write(
        `machine ${machine.address.node}.${machine.address.module}: ${String(error)}\n`,
      ),
  ) {}

  start(): void {
    this.apply(this.machine.start(this.clock.now()));
  }

  receive(from: Address, message: SchedulerMessage): void {
    if (this.stopped) return;
    this.apply(this.machine.receive(from, message, this.clock.now()));
  }

  /** For calls beyond the common contract, e.g. a monitor's `probeFinished`. */
  run(call: (machine: M, now: number) => Effect[]): void {
    if (this.stopped) return;
    this.apply(call(this.machine, this.clock.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private apply(effects: readonly Effect[]): void {
    if (effects.length > 0) this.sink(effects);
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    const at = this.machine.nextWakeAt();
    if (at === this.armedFor && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = at;
    if (at === null) return;
    const now = this.clock.now();
    this.spins = at <= now ? this.spins + 1 : 0;
    const delay = this.spins > SPIN_LIMIT ? SPIN_PAUSE_MS : Math.max(0, at - now);
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = null;
    if (this.stopped) return;
    // A throw here would be an uncaught exception and end the service: report it and keep
    // the machine's timer going instead.
    try {
      this.apply(this.machine.wake(this.clock.now()));
    } catch (error) {
      this.onTimerError(error);
      this.arm();
    }
  }
}
