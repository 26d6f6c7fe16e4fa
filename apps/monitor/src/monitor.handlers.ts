import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { SchedulerEnvelope } from '@meshmon/contracts';
import { Patterns } from '@meshmon/node-agent';
import { MonitorService } from './monitor.service.js';

@Controller()
export class MonitorHandlers {
  constructor(@Inject(MonitorService) private readonly monitor: MonitorService) {}

  /** Role commands, members, intents, priority overrides, late grants and denials. */
  @EventPattern(Patterns.schedulerMessage)
  onSchedulerMessage(@Payload() envelope: SchedulerEnvelope): void {
    this.monitor.receive(envelope);
  }
}
