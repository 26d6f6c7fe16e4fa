import { Module, type DynamicModule } from '@nestjs/common';
import { addressDirectoryProvider } from './directory/address-directory.provider.js';
import { FlowMapListener } from './directory/flow-map-listener.service.js';
import { FLOW_DISCOVERY_RUNTIME, type FlowDiscoveryRuntime } from './flow-discovery.runtime.js';
import { FlowMapLoop } from './flow-map/flow-map-loop.service.js';

@Module({})
export class AppModule {
  static register(runtime: FlowDiscoveryRuntime): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: FLOW_DISCOVERY_RUNTIME, useValue: runtime },
        addressDirectoryProvider,
        FlowMapListener,
        FlowMapLoop,
      ],
    };
  }
}
