import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type {
  SchedulerControl,
  SchedulerEnvelope,
  ServerStartReply,
  ServerStartRequest,
  ServerStopRequest,
} from '@meshmon/contracts';
import { SensorLeases, manualLeaseHolder } from '@meshmon/leases';
import {
  AGENT_RUNTIME,
  EffectRouter,
  MachineDriver,
  RunHost,
  createNodeMachines,
  slotRequestWaitMs,
  type AgentRuntime,
} from '@meshmon/node-agent';
import type { SensorMachine } from '@meshmon/scheduling';
import { IperfServers } from './iperf-servers.js';
import { PendingReplies } from './pending-replies.js';

/**
 * The node's sensor: the scheduling core's SensorMachine decides who may measure this node;
 * this service answers slot requests over NATS request-reply and runs the iperf3 server a
 * granted monitor asks for, but only for the holder of the current Redis lease (fencing:
 * a monitor that paused past its lease cannot start a server any more).
 */
@Injectable()
export class SensorService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly host: RunHost<SensorMachine>;
  /** The run's slot requests waiting for the machine's answer. */
  private pending: PendingReplies | null = null;
  private readonly servers: IperfServers;
  private readonly leases: SensorLeases;
  /** The server of a manual measurement: no machine lock covers it, only its lease. */
  private manualServer: string | null = null;

  constructor(@Inject(AGENT_RUNTIME) private readonly runtime: AgentRuntime) {
    const { config } = runtime;
    this.servers = new IperfServers(config.address, config.iperfPortBase);
    this.leases = new SensorLeases(runtime.redis!, { keyPrefix: runtime.subjects.redis.prefix });
    this.host = new RunHost<SensorMachine>(runtime, 'sensor', {
      build: (run) => {
        const machine = createNodeMachines(config, run).sensor;
        // Answer within the monitor's own request timeout; later answers travel as messages.
        const pending = new PendingReplies(
          Math.max(500, slotRequestWaitMs(run.algorithm, run.scheduler) - 250),
        );
        this.pending = pending;
        const router: EffectRouter = new EffectRouter(
          runtime.connection,
          runtime.subjects,
          machine.address,
          runtime.events,
          { send: (_to, message) => pending.answer(message, () => router.envelope(message)) },
          run.runId,
        );
        const driver = new MachineDriver(machine, (effects) => {
          router.route(effects);
          this.afterEffects(machine);
        });
        return driver;
      },
      stopping: () => {
        this.pending?.clear();
        this.pending = null;
        this.afterEffects(null);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.host.boot();
  }

  async onModuleDestroy(): Promise<void> {
    await this.host.shutdown();
    await this.servers.stopAll();
  }

  receive(envelope: SchedulerEnvelope): void {
    this.host.receive(envelope);
  }

  control(control: SchedulerControl): Promise<void> {
    return this.host.apply(control);
  }

  /** A slot request sent as a NATS request: resolves with the encoded grant or deny. */
  request(envelope: SchedulerEnvelope): Promise<Uint8Array | undefined> {
    const pending = this.pending;
    if (envelope.message.type !== 'slot-request' || !pending) return Promise.resolve(undefined);
    // Another run's request gets no answer (the monitor's own timeout handles it), and it
    // must not touch a waiter of this run that happens to have the same request id.
    if (envelope.run !== this.host.current?.run.runId) {
      this.host.receive(envelope);
      return Promise.resolve(undefined);
    }
    const answer = pending.wait(envelope.message.requestId);
    this.host.receive(envelope);
    return answer;
  }

  async startServer(request: ServerStartRequest): Promise<ServerStartReply> {
    const { node, address, probe } = this.runtime.config;
    const manual =
      request.leaseHolder === manualLeaseHolder(request.monitor, request.measurementId);
    const lock = this.host.current?.driver.machine.currentLock;
    // A scheduled probe needs the machine's grant; a manual one only its lease (below).
    if (!manual && (!lock || lock.holder !== request.monitor)) {
      return refusal(
        'not-granted',
        `sensor ${node} has no grant outstanding for ${request.monitor}`,
      );
    }
    const current = await this.leases.isCurrent(node, request.leaseHolder, request.fencingToken);
    if (!current) {
      this.runtime.events.publish({
        type: 'lease-denied',
        sensor: node,
        monitor: request.monitor,
        measurementId: request.measurementId,
        reason: `fencing token ${request.fencingToken} is not current`,
      });
      return refusal(
        'stale-lease',
        `lease ${request.leaseHolder} with fencing token ${request.fencingToken} is not the current lease on ${node}`,
      );
    }
    try {
      const port = await this.servers.start(
        request.measurementId,
        request.seconds ?? probe.seconds,
      );
      this.manualServer = manual ? request.measurementId : null;
      return { v: 1, ok: true, host: address, port };
    } catch (error) {
      return refusal('server-failed', error instanceof Error ? error.message : String(error));
    }
  }

  async stopServer(request: ServerStopRequest): Promise<{ v: 1; ok: boolean }> {
    if (this.manualServer === request.measurementId) this.manualServer = null;
    return { v: 1, ok: await this.servers.stop(request.measurementId) };
  }

  /**
   * The lock ended (released or lapsed) or the run stopped: whatever server it was for
   * has no business running. A manual measurement's server is left alone: its lease, not
   * the machine, covers it, and it stops at its client's end or its idle timeout.
   */
  private afterEffects(machine: SensorMachine | null): void {
    const running = this.servers.running;
    if (running === null || running === this.manualServer) return;
    if (!machine?.currentLock) void this.servers.stopAll();
  }
}

function refusal(code: string, message: string): ServerStartReply {
  return { v: 1, ok: false, error: { code, message } };
}
