import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type {
  SchedulerEnvelope,
  ServerStartReply,
  ServerStartRequest,
  ServerStopRequest,
} from '@meshmon/contracts';
import { SensorLeases } from '@meshmon/leases';
import {
  AGENT_RUNTIME,
  EffectRouter,
  MachineDriver,
  createNodeMachines,
  slotRequestWaitMs,
  type AgentRuntime,
} from '@meshmon/node-agent';
import type { Effect, SensorMachine } from '@meshmon/scheduling';
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
  private readonly driver: MachineDriver<SensorMachine>;
  private readonly router: EffectRouter;
  private readonly pending: PendingReplies;
  private readonly servers: IperfServers;
  private readonly leases: SensorLeases;

  constructor(@Inject(AGENT_RUNTIME) private readonly runtime: AgentRuntime) {
    const { config } = runtime;
    const machine = createNodeMachines(config).sensor;
    // Answer within the monitor's own request timeout; later answers travel as messages.
    this.pending = new PendingReplies(Math.max(500, slotRequestWaitMs(config) - 250));
    this.router = new EffectRouter(
      runtime.connection,
      runtime.subjects,
      machine.address,
      runtime.events,
      {
        send: (_to, message) => this.pending.answer(message, () => this.router.envelope(message)),
      },
    );
    this.driver = new MachineDriver(machine, (effects) => this.onEffects(effects));
    this.servers = new IperfServers(config.address, config.iperfPortBase);
    this.leases = new SensorLeases(runtime.redis!, { keyPrefix: runtime.subjects.redisPrefix });
  }

  onApplicationBootstrap(): void {
    this.driver.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.driver.stop();
    this.pending.clear();
    await this.servers.stopAll();
  }

  receive(envelope: SchedulerEnvelope): void {
    this.driver.receive(envelope.from, envelope.message);
  }

  /** A slot request sent as a NATS request: resolves with the encoded grant or deny. */
  request(envelope: SchedulerEnvelope): Promise<Uint8Array | undefined> {
    if (envelope.message.type !== 'slot-request') return Promise.resolve(undefined);
    const answer = this.pending.wait(envelope.message.requestId);
    this.driver.receive(envelope.from, envelope.message);
    return answer;
  }

  async startServer(request: ServerStartRequest): Promise<ServerStartReply> {
    const { node, address, probe } = this.runtime.config;
    const lock = this.driver.machine.currentLock;
    if (!lock || lock.holder !== request.monitor) {
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
      return { v: 1, ok: true, host: address, port };
    } catch (error) {
      return refusal('server-failed', error instanceof Error ? error.message : String(error));
    }
  }

  async stopServer(request: ServerStopRequest): Promise<{ v: 1; ok: boolean }> {
    return { v: 1, ok: await this.servers.stop(request.measurementId) };
  }

  private onEffects(effects: readonly Effect[]): void {
    this.router.route(effects);
    // The lock ended (released or lapsed): whatever server it was for has no business running.
    if (!this.driver.machine.currentLock && this.servers.running !== null)
      void this.servers.stopAll();
  }
}

function refusal(code: string, message: string): ServerStartReply {
  return { v: 1, ok: false, error: { code, message } };
}
