import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { decodeSchedulerEnvelope, type SchedulerEnvelope } from '@meshmon/contracts';
import { SensorLeases } from '@meshmon/leases';
import {
  AGENT_RUNTIME,
  EffectRouter,
  MachineDriver,
  createNodeMachines,
  ensureResultsStream,
  slotRequestWaitMs,
  type AgentRuntime,
} from '@meshmon/node-agent';
import type { Address, MonitorMachine, ProbeOrder, SchedulerMessage } from '@meshmon/scheduling';
import { MonitorHistory } from './monitor-history.js';
import { ProbeRunner } from './probe-runner.js';
import { ResultPublisher } from './result-publisher.js';

/**
 * The node's monitor: the scheduling core's MonitorMachine picks whom to measure and
 * when; this service sends its slot requests as NATS requests, runs the probes it orders,
 * publishes every result to JetStream, and keeps last-measured times and pinned
 * priorities in Redis so that a restart does not forget them.
 */
@Injectable()
export class MonitorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly driver: MachineDriver<MonitorMachine>;
  private readonly router: EffectRouter;
  private readonly results: ResultPublisher;
  private readonly history: MonitorHistory;
  private readonly probes: ProbeRunner;

  constructor(@Inject(AGENT_RUNTIME) private readonly runtime: AgentRuntime) {
    const machine = createNodeMachines(runtime.config).monitor;
    const redis = runtime.redis!;
    this.results = new ResultPublisher(runtime);
    this.history = new MonitorHistory(redis, runtime.subjects.redisPrefix, runtime.config.node);
    this.probes = new ProbeRunner(
      runtime,
      new SensorLeases(redis, { keyPrefix: runtime.subjects.redisPrefix }),
      (result) => {
        this.results.publish(result);
        if (result.ok)
          void this.remember(() => this.history.recordMeasured(result.sensor, result.endedAtMs));
      },
    );
    this.router = new EffectRouter(
      runtime.connection,
      runtime.subjects,
      machine.address,
      runtime.events,
      {
        send: (to, message) => this.sendAsRequest(to, message),
        probe: (order) => void this.runProbe(order),
      },
    );
    this.driver = new MachineDriver(machine, (effects) => this.router.route(effects));
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
    const { measured, pinned } = await this.history.load();
    for (const [sensor, atMs] of measured) this.driver.machine.restoreLastMeasured(sensor, atMs);
    for (const [sensor, priorityMs] of pinned) {
      this.driver.receive(this.driver.machine.address, {
        type: 'priority-override',
        sensor,
        priorityMs,
      });
    }
    this.driver.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.driver.stop();
    this.probes.cancel();
    await this.results.drain(3000);
  }

  receive(envelope: SchedulerEnvelope): void {
    const message = envelope.message;
    if (message.type === 'priority-override') {
      void this.remember(() => this.history.pin(message.sensor, message.priorityMs));
    }
    this.driver.receive(envelope.from, message);
  }

  /**
   * Slot requests go out as NATS requests; the grant or deny comes back as the reply. No
   * reply (timeout, no sensor listening) is not an error here: the machine's own request
   * timeout decides what happens next, exactly as in the simulator.
   */
  private sendAsRequest(to: Address, message: SchedulerMessage): boolean {
    if (message.type !== 'slot-request') return false;
    const { connection, subjects, events } = this.runtime;
    const subject = subjects.schedulerMessage(to.node, to.module, message.type);
    connection
      .request(subject, this.router.envelope(message), {
        timeout: slotRequestWaitMs(this.runtime.config),
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
        this.driver.receive(decoded.value.from, decoded.value.message);
      })
      .catch(() => undefined);
    return true;
  }

  private async runProbe(order: ProbeOrder): Promise<void> {
    const ok = await this.probes.run(order).catch(() => false);
    this.driver.run((machine, now) =>
      machine.probeFinished({ measurementId: order.measurementId, ok }, now),
    );
  }

  /** Redis trouble must not stop measuring: report it and go on. */
  private async remember(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.runtime.events.error({
        subject: '',
        code: 'redis-write-failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
