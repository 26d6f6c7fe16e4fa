import type { Provider } from '@nestjs/common';
import { AddressDirectory } from '@meshmon/discovery';
import { FLOW_DISCOVERY_RUNTIME, type FlowDiscoveryRuntime } from '../flow-discovery.runtime.js';

/** The directory the listener fills and the loop reads; one per process. */
export const ADDRESS_DIRECTORY = Symbol('ADDRESS_DIRECTORY');

export const addressDirectoryProvider: Provider = {
  provide: ADDRESS_DIRECTORY,
  useFactory: (runtime: FlowDiscoveryRuntime) => new AddressDirectory(runtime.config.node),
  inject: [FLOW_DISCOVERY_RUNTIME],
};
