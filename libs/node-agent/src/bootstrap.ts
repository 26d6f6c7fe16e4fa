import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import type { ModuleKind } from '@meshmon/scheduling';
import {
  resolveAutoAddress,
  runServiceProcess,
  startService,
  type ServiceDefinition,
} from '@meshmon/service-runtime';
import { loadAgentConfig, type AgentConfig } from './agent-config.js';
import type { AgentRuntime } from './agent-runtime.js';
import { MeshmonTransport } from './meshmon-transport.js';

/**
 * A node service (controller, sensor, monitor) for the service runtime: the agent's
 * settings (MESHMON_ADDRESS=auto resolved first), Redis required (leases, history), and a
 * Nest microservice on the Meshmon transport.
 */
export function nodeService(
  module: ModuleKind,
  appModule: (runtime: AgentRuntime) => DynamicModule,
): ServiceDefinition<AgentConfig, INestMicroservice> {
  return {
    service: module,
    settings: async (env) => loadAgentConfig(await resolveAutoAddress(env)),
    identity: (config) => config,
    redis: 'required',
    nest: async (runtime) => {
      const transport = new MeshmonTransport(
        runtime.connection,
        runtime.subjects,
        runtime.config.node,
        module,
        runtime.events,
      );
      const app = await NestFactory.createMicroservice(appModule(runtime), {
        strategy: transport,
        logger: ['error', 'warn'],
      });
      await app.listen();
      return app;
    },
  };
}

/** `main.ts` of a node service: the service as a process (see runServiceProcess). */
export function runNodeService(
  module: ModuleKind,
  appModule: (runtime: AgentRuntime) => DynamicModule,
): Promise<void> {
  return runServiceProcess({
    name: `meshmon-${module}`,
    service: module,
    start: () => startService(nodeService(module, appModule), process.env),
  });
}
