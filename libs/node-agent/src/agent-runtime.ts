import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import type { Subjects } from '@meshmon/contracts';
import type { AgentConfig } from './agent-config.js';
import type { EventPublisher } from '@meshmon/service-runtime';

/**
 * What bootstrap has set up before Nest starts: the checked configuration and the NATS
 * connection. Every node service gets it injected under AGENT_RUNTIME.
 */
export interface AgentRuntime {
  readonly config: AgentConfig;
  readonly connection: NatsConnection;
  readonly subjects: Subjects;
  readonly events: EventPublisher;
  /** Only for the services that keep state in Redis (sensor leases, monitor history). */
  readonly redis: Redis | null;
  /**
   * Resolves once the transport listens. A module that asks its controller for a resync
   * must wait for it, or the answer arrives before the subscription and is lost.
   */
  readonly listening: Promise<void>;
}

export const AGENT_RUNTIME = Symbol('AGENT_RUNTIME');
