import { randomBytes } from 'node:crypto';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  decodeSchedulerEnvelope,
  type MeasureReply,
  type MeasureRequest,
  type SchedulerControl,
  type SchedulerEnvelope,
} from '@meshmon/contracts';
import { ManualReservations, SensorLeases, scheduledLeaseHolder } from '@meshmon/leases';
import {
  AGENT_RUNTIME,
  EffectRouter,
  MachineDriver,
  RunHost,
  createNodeMachines,
  slotRequestWaitMs,
  type AgentRuntime,
  type SchedulerRun,
} from '@meshmon/node-agent';
import { ensureResultsStream } from '@meshmon/service-runtime';
import type { Address, MonitorMachine, ProbeOrder, SchedulerMessage } from '@meshmon/scheduling';
import { ManualMeasurements } from './manual-measurements.js';
import { MonitorHistory } from './monitor-history.js';
import { ProbeRunner } from './probe-runner.js';
import { ResultPublisher } from './result-publisher.js';

/**
 * The node's monitor: the scheduling core's MonitorMachine picks whom to measure and
 * when; this service sends its slot requests as NATS requests, runs the probes it orders
 * (and the manual ones the gateway asks for), publishes every result to JetStream, and
 * keeps last-measured times and pinned priorities in Redis so a restart forgets nothing.
 */
@Injectable()
export class MonitorService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly host: RunHost<MonitorMachine>;
  private readonly results: ResultPublisher;
  private readonly history: MonitorHistory;
  private readonly probes: ProbeRunner;
  private readonly manual: ManualMeasurements;
  /**
   * The machine numbers measurements from 1 at every start; this process's random tag
   * keeps a restarted monitor's ids unique, for JetStream's dedup and for lease holders.
   */
  private readonly bootTag = randomBytes(4).toString('hex');

  constructor(@Inject(AGENT_RUNTIME) private readonly runtime: AgentRuntime) {
    const redis = runtime.redis!;
    this.results = new ResultPublisher(runtime);
    const reservations = new ManualReservations(redis, runtime.subjects.redis.prefix);
    this.history = new MonitorHistory(redis, runtime.subjects.redis, runtime.config.node);
    this.probes = new ProbeRunner(
      runtime,
      new SensorLeases(redis, { keyPrefix: runtime.subjects.redis.prefix }),
      (result) => {
        this.results.publish(result);
        if (result.ok)
          void this.remember(() => this.history.recordMeasured(result.sensor, result.endedAtMs));
      },
      reservations,
    );
    this.manual = new ManualMeasurements(runtime, this.probes, this.bootTag, reservations);
    this.host = new RunHost<MonitorMachine>(runtime, 'monitor', {
      build: (run) => this.buildDriver(run),
      beforeStart: async (session) => {
        // Without its history the run still starts: a Redis blip must not idle this
        // monitor for the whole run (it only forgets when it last measured whom).
        const { measured, pinned } = await this.history.load().catch((error: unknown) => {
          runtime.events.error({
            subject: runtime.subjects.redis.prefix,
            code: 'redis-read-failed',
            message: `history not restored: ${error instanceof Error ? error.message : String(error)}`,
          });
          return { measured: new Map<string, number>(), pinned: new Map<string, number>() };
        });
        const machine = session.driver.machine;
        for (const [sensor, atMs] of measured) machine.restoreLastMeasured(sensor, atMs);
        for (const [sensor, priorityMs] of pinned) {
          session.driver.receive(machine.address, {
            type: 'priority-override',
            sensor,
            priorityMs,
          });
        }
      },
      // The run's probes end with it; a manual measurement is not the run's.
      stopping: () => this.probes.cancel((job) => job.algorithm !== 'manual'),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureResultsStream(this.runtime.connection, this.runtime.subjects).catch(
      (error: unknown) =>
        this.runtime.events.error({
          subject: this.runtime.subjects.resultsWildcard,
          code: 'stream-unavailable',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
    await this.host.boot();
  }

  async onModuleDestroy(): Promise<void> {
    await this.host.shutdown();
    await this.probes.cancel();
    await this.results.drain(3000);
  }

  receive(envelope: SchedulerEnvelope): void {
    const message = envelope.message;
    // Pins outlive runs: keep them even when no run takes them now.
    if (message.type === 'priority-override') {
      void this.remember(() => this.history.pin(message.sensor, message.priorityMs));
      const session = this.host.current;
      if (session && envelope.run === null) {
        // The gateway is not part of any run: its pin goes to the machine in force.
        session.driver.receive(envelope.from, message);
        return;
      }
    }
    this.host.receive(envelope);
  }

  control(control: SchedulerControl): Promise<void> {
    return this.host.apply(control);
  }

  measure(request: MeasureRequest): Promise<MeasureReply> {
    return this.manual.measure(request);
  }

  private buildDriver(run: SchedulerRun): MachineDriver<MonitorMachine> {
    const { config } = this.runtime;
    const machine = createNodeMachines(config, run).monitor;
    const router: EffectRouter = new EffectRouter(
      this.runtime.connection,
      this.runtime.subjects,
      machine.address,
      this.runtime.events,
      {
        send: (to, message) => this.sendAsRequest(run, router, driver, to, message),
        probe: (order) => void this.runProbe(run, driver, order),
      },
      run.runId,
    );
    const driver: MachineDriver<MonitorMachine> = new MachineDriver(machine, (effects) =>
      router.route(effects),
    );
    return driver;
  }

  /**
   * Slot requests go out as NATS requests; the grant or deny comes back as the reply. No
   * reply (timeout, no sensor listening) is not an error here: the machine's own request
   * timeout decides what happens next, exactly as in the simulator.
   */
  private sendAsRequest(
    run: SchedulerRun,
    router: EffectRouter,
    driver: MachineDriver<MonitorMachine>,
    to: Address,
    message: SchedulerMessage,
  ): boolean {
    if (message.type !== 'slot-request') return false;
    const { connection, subjects, events } = this.runtime;
    const subject = subjects.schedulerMessage(to.node, to.module, message.type);
    connection
      .request(subject, router.envelope(message), {
        timeout: slotRequestWaitMs(run.algorithm, run.scheduler),
      })
      .then((reply) => {
        const decoded = decodeSchedulerEnvelope(reply.data);
        if (!decoded.ok) {
          events.error({
            subject,
            code: 'invalid-reply',
            message: decoded.problems.map((p) => `${p.field}: ${p.rule}`).join('; '),
            problems: decoded.problems,
          });
          return;
        }
        // A reply from another run, or to a run that has ended, is dropped like a message.
        if (decoded.value.run === run.runId)
          driver.receive(decoded.value.from, decoded.value.message);
      })
      .catch(() => undefined);
    return true;
  }

  private async runProbe(
    run: SchedulerRun,
    driver: MachineDriver<MonitorMachine>,
    order: ProbeOrder,
  ): Promise<void> {
    const measurementId = `${order.measurementId}@${this.bootTag}`;
    const result = await this.probes
      .run({
        measurementId,
        sensor: order.sensor,
        deadline: order.deadline,
        algorithm: run.algorithm,
        protocol: this.runtime.config.probe.protocol,
        holder: scheduledLeaseHolder(this.runtime.config.node, measurementId),
      })
      .catch(() => null);
    // A stopped driver ignores this: the run it belonged to is over.
    driver.run((machine, now) =>
      machine.probeFinished({ measurementId: order.measurementId, ok: result?.ok ?? false }, now),
    );
  }

  /** Redis trouble must not stop measuring: report it and go on. */
  private remember(write: () => Promise<void>): Promise<void> {
    return this.runtime.events.survive('', 'redis-write-failed', write);
  }
}
