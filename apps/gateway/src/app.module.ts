import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule } from './core.module.js';
import { CoverageModule } from './coverage/coverage.module.js';
import { EventsModule } from './events/events.module.js';
import type { SseLimits } from './events/sse-limits.js';
import { HealthModule } from './health/health.module.js';
import { IntentsModule } from './intents/intents.module.js';
import { MeasurementsModule } from './measurements/measurements.module.js';
import type { GatewayMetrics } from './metrics/gateway-metrics.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { FlowsModule } from './flows/flows.module.js';
import { NodesModule } from './nodes/nodes.module.js';
import { OutliersModule } from './outliers/outliers.module.js';
import { PairsModule } from './pairs/pairs.module.js';
import { ResultsModule } from './results/results.module.js';
import type { GatewayRuntime } from './runtime/gateway-runtime.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';

@Module({})
export class AppModule {
  static register(
    runtime: GatewayRuntime,
    metrics: GatewayMetrics,
    sse?: SseLimits,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(runtime, metrics, sse),
        SchedulerModule,
        NodesModule,
        FlowsModule,
        PairsModule,
        IntentsModule,
        MeasurementsModule,
        ResultsModule,
        CoverageModule,
        OutliersModule,
        EventsModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
