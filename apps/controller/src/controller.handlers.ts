import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { SchedulerEnvelope } from '@meshmon/contracts';
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
}
