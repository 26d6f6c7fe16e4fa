import type { ServiceBase } from '@meshmon/service-runtime';
import type { FlowDiscoveryConfig } from './config/flow-discovery-config.js';

/** What the service runtime sets up before Nest starts; injected under FLOW_DISCOVERY_RUNTIME. */
export type FlowDiscoveryRuntime = ServiceBase<FlowDiscoveryConfig>;

export const FLOW_DISCOVERY_RUNTIME = Symbol('FLOW_DISCOVERY_RUNTIME');
