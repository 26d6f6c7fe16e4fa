import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type {
  SchedulerControl,
  SchedulerEnvelope,
  ServerStartReply,
  ServerStartRequest,
  ServerStopRequest,
} from '@meshmon/contracts';
import { Patterns } from '@meshmon/node-agent';
import { SensorService } from './sensor.service.js';

@Controller()
export class SensorHandlers {
  constructor(@Inject(SensorService) private readonly sensor: SensorService) {}

  /** Role commands, releases, members, intents, and requests sent without a reply inbox. */
  @EventPattern(Patterns.schedulerMessage)
  onSchedulerMessage(@Payload() envelope: SchedulerEnvelope): void {
    this.sensor.receive(envelope);
  }

  @EventPattern(Patterns.schedulerControl)
  onSchedulerControl(@Payload() control: SchedulerControl): Promise<void> {
    return this.sensor.control(control);
  }

  @MessagePattern(Patterns.slotRequest)
  onSlotRequest(@Payload() envelope: SchedulerEnvelope): Promise<Uint8Array | undefined> {
    return this.sensor.request(envelope);
  }

  @MessagePattern(Patterns.serverStart)
  onServerStart(@Payload() request: ServerStartRequest): Promise<ServerStartReply> {
    return this.sensor.startServer(request);
  }

  @MessagePattern(Patterns.serverStop)
  onServerStop(@Payload() request: ServerStopRequest): Promise<{ v: 1; ok: boolean }> {
    return this.sensor.stopServer(request);
  }
}
