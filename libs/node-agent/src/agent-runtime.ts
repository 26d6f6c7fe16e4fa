import type { ServiceBase } from '@meshmon/service-runtime';
import type { AgentConfig } from './agent-config.js';

/**
 * What the service runtime has set up before Nest starts (checked settings, NATS,
 * subjects, events, Redis, `listening`). Every node service gets it injected under
 * AGENT_RUNTIME.
 */
export type AgentRuntime = ServiceBase<AgentConfig>;

export const AGENT_RUNTIME = Symbol('AGENT_RUNTIME');
