import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type {
  FlowMap,
  ManualIntents,
  SchedulerControl,
  SchedulerEnvelope,
} from '@meshmon/contracts';
import { Patterns } from '@meshmon/node-agent';
import { ControllerService } from './controller.service.js';

@Controller()
export class ControllerHandlers {
  constructor(@Inject(ControllerService) private readonly controller: ControllerService) {}

  /** Pings, pongs, hellos, tokens, module-idle and slot-done: all go to the machine. */
  @EventPattern(Patterns.schedulerMessage)
  onSchedulerMessage(@Payload() envelope: SchedulerEnvelope): void {
    this.controller.receive(envelope);
  }

  @EventPattern(Patterns.schedulerControl)
  onSchedulerControl(@Payload() control: SchedulerControl): Promise<void> {
    return this.controller.control(control);
  }

  @EventPattern(Patterns.flows)
  onFlows(@Payload() map: FlowMap): void {
    this.controller.flows(map);
  }

  @EventPattern(Patterns.intentsControl)
  onManualIntents(@Payload() intents: ManualIntents): void {
    this.controller.manualIntents(intents);
  }
}
