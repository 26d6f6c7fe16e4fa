import { Module, type DynamicModule } from '@nestjs/common';
import { SINK_RUNTIME, type SinkRuntime } from './sink/sink-runtime.js';
import { SinkService } from './sink/sink.service.js';

@Module({})
export class AppModule {
  static register(runtime: SinkRuntime): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: SINK_RUNTIME, useValue: runtime }, SinkService],
      exports: [SinkService],
    };
  }
}
