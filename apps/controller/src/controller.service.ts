import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type {
  FlowMap,
  ManualIntents,
  SchedulerControl,
  SchedulerEnvelope,
} from '@meshmon/contracts';
import {
  AGENT_RUNTIME,
  EffectRouter,
  MachineDriver,
  RunHost,
  createNodeMachines,
  type AgentRuntime,
} from '@meshmon/node-agent';
import type { ControllerMachine } from '@meshmon/scheduling';
import { FlowIntents } from './intents/flow-intents.js';
import { readManualIntents } from './intents/manual-intents.js';
import { ScopeBook } from './intents/scope-book.js';

/**
 * The node's controller: membership, liveness and who is monitor or sensor when. All of
 * that is the scheduling core's ControllerMachine; this service connects it to NATS,
 * switches runs on orders, and tells it which pairs are in scope.
 */
@Injectable()
export class ControllerService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly host: RunHost<ControllerMachine>;
  readonly scope: ScopeBook;
  /** Discovery mode only: flows seen become intents. */
  private readonly flowIntents: FlowIntents | null;

  constructor(@Inject(AGENT_RUNTIME) private readonly runtime: AgentRuntime) {
    const { config } = runtime;
    this.scope = new ScopeBook(config.node, config.discovery.enabled);
    this.flowIntents = config.discovery.enabled
      ? new FlowIntents(runtime, this.scope, () => this.publishScope())
      : null;
    this.host = new RunHost<ControllerMachine>(runtime, 'controller', {
      build: (run, previous) => {
        // A new run keeps the membership the node already knows.
        const members = previous?.driver.machine.members ?? config.members;
        const machine = createNodeMachines(config, run, members).controller;
        const router = new EffectRouter(
          runtime.connection,
          runtime.subjects,
          machine.address,
          runtime.events,
          {},
          run.runId,
        );
        return new MachineDriver(machine, (effects) => router.route(effects));
      },
      beforeStart: (session) => {
        // Before start, so the machine's first members/role go out with the scope known.
        const scope = this.scope.scope();
        if (scope.mode === 'all') return;
        session.driver.receive(session.driver.machine.address, { type: 'intents', scope });
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.loadManualIntents();
    if (this.flowIntents) await this.flowIntents.start();
    else await this.leaveDiscoveryMode();
    await this.host.boot();
  }

  receive(envelope: SchedulerEnvelope): void {
    this.host.receive(envelope);
  }

  control(control: SchedulerControl): Promise<void> {
    return this.host.apply(control);
  }

  manualIntents(intents: ManualIntents): void {
    this.scope.setManual(intents.pairs);
    this.publishScope();
  }

  /** Without discovery mode, flow maps are not needed: they are simply not used. */
  flows(map: FlowMap): void {
    this.flowIntents?.observe(map);
  }

  /** Tells the machine (and through it the node's monitor and sensor) the current scope. */
  publishScope(): void {
    const session = this.host.current;
    if (!session) return;
    session.driver.receive(session.driver.machine.address, {
      type: 'intents',
      scope: this.scope.scope(),
    });
  }

  /** A controller stopped on purpose says goodbye, so peers drop it at once. */
  async onModuleDestroy(): Promise<void> {
    this.flowIntents?.stop();
    await this.host.shutdown((session) => session.driver.run((machine) => machine.leave()));
  }

  /** A node that ran in discovery mode before and no longer does must not be counted in it. */
  private leaveDiscoveryMode(): Promise<void> {
    const { redis, subjects, config, events } = this.runtime;
    return events.survive(subjects.redis.discoveryMode, 'redis-write-failed', async () =>
      redis?.hdel(subjects.redis.discoveryMode, config.node),
    );
  }

  private async loadManualIntents(): Promise<void> {
    const { redis, subjects, events } = this.runtime;
    if (!redis) return;
    try {
      const { pairs, skipped } = await readManualIntents(redis, subjects.redis.manualIntents);
      this.scope.setManual(pairs);
      if (skipped.length > 0)
        events.error({
          subject: subjects.redis.manualIntents,
          code: 'invalid-intent',
          message: `skipped fields that are not <monitor>:<sensor>: ${skipped.slice(0, 10).join(', ')}`,
        });
    } catch (error) {
      events.error({
        subject: subjects.redis.manualIntents,
        code: 'redis-read-failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
