import type { NatsConnection } from '@nats-io/transport-node';
import type { Subjects } from '@meshmon/contracts';
import type { EventPublisher } from '@meshmon/service-runtime';
import type { SinkConfig } from '../config/sink-config.js';

/** What bootstrap opens before Nest starts; the module's providers share it. */
export interface SinkRuntime {
  readonly config: SinkConfig;
  readonly connection: NatsConnection;
  readonly subjects: Subjects;
  readonly events: EventPublisher;
}

export const SINK_RUNTIME = Symbol('SINK_RUNTIME');
