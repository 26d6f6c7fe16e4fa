import {
  encodeSchedulerEnvelope,
  type SchedulerControl,
  type SchedulerEnvelope,
} from '@meshmon/contracts';
import type { ModuleKind, SchedulerMachine } from '@meshmon/scheduling';
import type { AgentRuntime } from './agent-runtime.js';
import type { MachineDriver } from './machine-driver.js';
import {
  bootRun,
  runFromStart,
  storedSchedulerControl,
  type SchedulerRun,
} from './scheduler-run.js';

/** A run in progress in one service: its machine's driver. */
export interface RunSession<M extends SchedulerMachine> {
  readonly run: SchedulerRun;
  readonly driver: MachineDriver<M>;
}

export interface RunHostHooks<M extends SchedulerMachine> {
  /** The module's machine and driver for a run (not started yet). */
  build(run: SchedulerRun, previous: RunSession<M> | null): MachineDriver<M>;
  /** Before the machine starts (e.g. the monitor restores its history into it). */
  beforeStart?(session: RunSession<M>): Promise<void> | void;
  /** Before the machine is dropped (e.g. the monitor cancels its probe). */
  stopping?(session: RunSession<M>): Promise<void> | void;
}

/**
 * Holds the scheduler run of one node service and switches it on `control.scheduler`
 * orders: the old machine stops (its module cleans up), a new one is built from the
 * same factory the simulator uses and started. Switches are queued, so two orders in
 * quick succession apply in order. Messages of any other run are dropped here: during a
 * switch the nodes briefly disagree, and the machines treat those drops as message loss,
 * which every algorithm already survives.
 */
export class RunHost<M extends SchedulerMachine> {
  private session: RunSession<M> | null = null;
  /** The last run that ended: a stop then a start keeps what it knew (e.g. membership). */
  private lastEnded: RunSession<M> | null = null;
  private switching: Promise<void> = Promise.resolve();
  /** Messages dropped because they belonged to another run (a switch in progress). */
  droppedFromOtherRuns = 0;
  /** Orders heard so far: tells the boot-time re-read whether a live order overtook it. */
  private ordersHeard = 0;

  constructor(
    private readonly runtime: AgentRuntime,
    private readonly module: ModuleKind,
    private readonly hooks: RunHostHooks<M>,
  ) {}

  get current(): RunSession<M> | null {
    return this.session;
  }

  /** At service start: the order stored in Redis wins, else MESHMON_ALGORITHM (or idle). */
  async boot(): Promise<void> {
    const { redis, subjects, events } = this.runtime;
    if (redis) {
      const stored = await storedSchedulerControl(redis, subjects.redis.schedulerState);
      if (stored.problem)
        events.error({
          subject: subjects.redis.schedulerState,
          code: 'state-unreadable',
          message: stored.problem,
        });
      void this.rereadOnceListening();
      if (stored.control) return this.apply(stored.control);
    }
    const run = bootRun(this.runtime.config);
    if (run) await this.enqueue(() => this.switchTo(run));
  }

  apply(control: SchedulerControl): Promise<void> {
    this.ordersHeard += 1;
    return this.enqueue(async () => {
      if (control.action === 'stop') return this.stopCurrent();
      if (this.session?.run.runId === control.runId) return;
      const planned = runFromStart(this.runtime.config, control);
      if ('problems' in planned) {
        const message = planned.problems.map((p) => `${p.field}: ${p.rule}`).join('; ');
        this.runtime.events.error({
          subject: this.runtime.subjects.schedulerControl,
          code: 'invalid-run',
          message: `run ${control.runId} cannot start on ${this.runtime.config.node}: ${message}`,
          problems: planned.problems,
        });
        return;
      }
      await this.switchTo(planned.run);
    });
  }

  /** True when the envelope belongs to the run in force and went to its machine. */
  receive(envelope: SchedulerEnvelope): boolean {
    const session = this.session;
    if (!session || envelope.run !== session.run.runId) {
      this.droppedFromOtherRuns += 1;
      return false;
    }
    session.driver.receive(envelope.from, envelope.message);
    return true;
  }

  /** Service shutdown: stop the machine after `last` ran on it (a controller's goodbye). */
  async shutdown(last?: (session: RunSession<M>) => void): Promise<void> {
    await this.switching;
    const session = this.session;
    if (!session) return;
    last?.(session);
    this.session = null;
    session.driver.stop();
    await this.hooks.stopping?.(session);
  }

  /**
   * Boot reads Redis before the transport subscribes (Nest runs the bootstrap hooks before
   * it listens), and the gateway stores an order before it publishes it: an order given in
   * between would be missed until the next one. So read again once subscribed (the flush
   * makes sure the server has the subscription); an order heard live since is newer and wins.
   */
  private async rereadOnceListening(): Promise<void> {
    const { redis, subjects, events, connection } = this.runtime;
    if (!redis) return;
    try {
      await this.runtime.listening;
      if (connection.isClosed()) return;
      await connection.flush();
      const heard = this.ordersHeard;
      const stored = await storedSchedulerControl(redis, subjects.redis.schedulerState);
      if (stored.control && this.ordersHeard === heard) await this.apply(stored.control);
    } catch (error) {
      events.error({
        subject: subjects.redis.schedulerState,
        code: 'state-unreadable',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.switching = this.switching.then(step).catch((error: unknown) => {
      this.runtime.events.error({
        subject: this.runtime.subjects.schedulerControl,
        code: 'run-switch-failed',
        message: error instanceof Error ? error.message : String(error),
      });
    });
    return this.switching;
  }

  private async stopCurrent(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.lastEnded = session;
    session.driver.stop();
    await this.hooks.stopping?.(session);
    this.runtime.events.publish({ type: 'scheduler-stopped', runId: session.run.runId });
  }

  private async switchTo(run: SchedulerRun): Promise<void> {
    if (this.session) await this.stopCurrent();
    const session: RunSession<M> = { run, driver: this.hooks.build(run, this.lastEnded) };
    await this.hooks.beforeStart?.(session);
    this.session = session;
    session.driver.start();
    this.runtime.events.publish({
      type: 'scheduler-started',
      runId: run.runId,
      algorithm: run.algorithm,
    });
    if (this.module !== 'controller') void this.askForResync(session);
  }

  /**
   * A sensor or monitor starting a run asks its controller for members and role: the
   * controller may have switched first, and what it sent then was dropped here as
   * another run's. Only once the transport listens, or the answer would be lost.
   */
  private async askForResync(session: RunSession<M>): Promise<void> {
    await this.runtime.listening;
    if (this.session !== session || this.runtime.connection.isClosed()) return;
    const { config, subjects, connection } = this.runtime;
    const module = this.module === 'sensor' ? 'sensor' : 'monitor';
    connection.publish(
      subjects.schedulerMessage(config.node, 'controller', 'module-ready'),
      encodeSchedulerEnvelope(
        { node: config.node, module },
        { type: 'module-ready', module },
        Date.now(),
        session.run.runId,
      ),
    );
  }
}
