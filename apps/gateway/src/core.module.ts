import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EventHub } from './events/event-hub.js';
import { DEFAULT_SSE_LIMITS, SSE_LIMITS, type SseLimits } from './events/sse-limits.js';
import { ApiExceptionFilter } from './http/api-exception.filter.js';
import { BearerAuthGuard } from './http/bearer-auth.guard.js';
import { IntentsStore } from './intents/intents.store.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { registerMeasurementMetrics } from './metrics/measurement-metrics.js';
import { MonitorStateStore } from './pairs/monitor-state.store.js';
import type { GatewayRuntime } from './runtime/gateway-runtime.js';
import { GATEWAY_RUNTIME } from './runtime/runtime.di-tokens.js';
import { FlowView } from './view/flow-view.js';
import { LiveView } from './view/live-view.js';
import { ViewFeeder } from './view/view-feeder.service.js';

/**
 * What every feature shares: the connections, the live view and its feeder, the cached
 * Redis state, metrics, and the global pipe, guard and filter. Global so that feature
 * modules import nothing but declare their controllers.
 */
@Global()
@Module({})
export class CoreModule {
  static register(
    runtime: GatewayRuntime,
    metrics: GatewayMetrics,
    sse: SseLimits = DEFAULT_SSE_LIMITS,
  ): DynamicModule {
    const view = new LiveView();
    // What the suite measures, on /metrics beside the gateway's own figures.
    registerMeasurementMetrics(metrics.registry, view, {
      cluster: runtime.subjects.cluster,
      probeSeconds: runtime.config.probeSeconds,
    });
    const shared = [
      { provide: GATEWAY_RUNTIME, useValue: runtime },
      { provide: GatewayMetrics, useValue: metrics },
      { provide: LiveView, useValue: view },
      { provide: FlowView, useValue: new FlowView() },
      { provide: EventHub, useValue: new EventHub() },
      { provide: SSE_LIMITS, useValue: sse },
      IntentsStore,
      MonitorStateStore,
      ViewFeeder,
    ];
    return {
      module: CoreModule,
      providers: [
        ...shared,
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
      exports: shared.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}
