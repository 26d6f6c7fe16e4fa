import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { SchedulerEnvelope } from '@meshmon/contracts';
import {
  AGENT_RUNTIME,
  EffectRouter,
  MachineDriver,
  createNodeMachines,
  type AgentRuntime,
} from '@meshmon/node-agent';
import type { ControllerMachine } from '@meshmon/scheduling';

/**
 * The node's controller: membership, liveness and who is monitor or sensor when. All of
 * that is the scheduling core's ControllerMachine; this service only connects it to NATS.
 */
@Injectable()
export class ControllerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly driver: MachineDriver<ControllerMachine>;
  private readonly router: EffectRouter;

  constructor(@Inject(AGENT_RUNTIME) private readonly runtime: AgentRuntime) {
    const machine = createNodeMachines(runtime.config).controller;
    this.router = new EffectRouter(
      runtime.connection,
      runtime.subjects,
      machine.address,
      runtime.events,
    );
    this.driver = new MachineDriver(machine, (effects) => this.router.route(effects));
  }

  onApplicationBootstrap(): void {
    this.driver.start();
  }

  receive(envelope: SchedulerEnvelope): void {
    this.driver.receive(envelope.from, envelope.message);
  }

  /** A controller stopped on purpose says goodbye, so peers drop it at once. */
  onModuleDestroy(): void {
    this.driver.run((machine) => machine.leave());
    this.driver.stop();
  }
}
