import type { NatsConnection } from '@nats-io/transport-node';
import type { Subjects } from '@meshmon/contracts';
import type { EventPublisher } from '@meshmon/service-runtime';
import type { FlowDiscoveryConfig } from './config/flow-discovery-config.js';

/** What bootstrap sets up before Nest starts; injected under FLOW_DISCOVERY_RUNTIME. */
export interface FlowDiscoveryRuntime {
  readonly config: FlowDiscoveryConfig;
  readonly connection: NatsConnection;
  readonly subjects: Subjects;
  readonly events: EventPublisher;
}

export const FLOW_DISCOVERY_RUNTIME = Symbol('FLOW_DISCOVERY_RUNTIME');
