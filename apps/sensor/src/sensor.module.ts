import { Module, type DynamicModule } from '@nestjs/common';
import { AGENT_RUNTIME, type AgentRuntime } from '@meshmon/node-agent';
import { SensorHandlers } from './sensor.handlers.js';
import { SensorService } from './sensor.service.js';

@Module({})
export class SensorModule {
  static register(runtime: AgentRuntime): DynamicModule {
    return {
      module: SensorModule,
      controllers: [SensorHandlers],
      providers: [{ provide: AGENT_RUNTIME, useValue: runtime }, SensorService],
    };
  }
}
