import { Module, type DynamicModule } from '@nestjs/common';
import { AGENT_RUNTIME, type AgentRuntime } from '@meshmon/node-agent';
import { ControllerHandlers } from './controller.handlers.js';
import { ControllerService } from './controller.service.js';

@Module({})
export class ControllerModule {
  static register(runtime: AgentRuntime): DynamicModule {
    return {
      module: ControllerModule,
      controllers: [ControllerHandlers],
      providers: [{ provide: AGENT_RUNTIME, useValue: runtime }, ControllerService],
    };
  }
}
