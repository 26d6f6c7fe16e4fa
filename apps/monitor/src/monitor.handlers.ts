import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  encodeMeasureReply,
  type MeasureRequest,
  type SchedulerControl,
  type SchedulerEnvelope,
} from '@meshmon/contracts';
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

  @EventPattern(Patterns.schedulerControl)
  onSchedulerControl(@Payload() control: SchedulerControl): Promise<void> {
    return this.monitor.control(control);
  }

  /** A measurement now: the reply is the result (or why not), encoded by the contract. */
  @MessagePattern(Patterns.measure)
  async onMeasure(@Payload() request: MeasureRequest): Promise<Uint8Array> {
    return encodeMeasureReply(await this.monitor.measure(request));
  }
}
