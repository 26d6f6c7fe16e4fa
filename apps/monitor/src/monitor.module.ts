import { Module, type DynamicModule } from '@nestjs/common';
import { AGENT_RUNTIME, type AgentRuntime } from '@meshmon/node-agent';
import { MonitorHandlers } from './monitor.handlers.js';
import { MonitorService } from './monitor.service.js';

@Module({})
export class MonitorModule {
  static register(runtime: AgentRuntime): DynamicModule {
    return {
      module: MonitorModule,
      controllers: [MonitorHandlers],
      providers: [{ provide: AGENT_RUNTIME, useValue: runtime }, MonitorService],
    };
  }
}
