import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import type { ModuleKind } from '@meshmon/scheduling';
import {
  OutboxJournal,
  OutboxJournalError,
  resolveAutoAddress,
  runServiceProcess,
  startService,
  type ServiceDefinition,
} from '@meshmon/service-runtime';
import {
  AgentConfigError,
  loadAgentConfig,
  OUTBOX_DIR_VARIABLE,
  type AgentConfig,
} from './agent-config.js';
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
    settings: async (env) => {
      const config = loadAgentConfig(await resolveAutoAddress(env));
      if (module === 'monitor') checkOutboxFolder(config.outboxDir);
      return config;
    },
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

/**
 * The monitor keeps its waiting results on disk: a folder it cannot make or write is a
 * setting to fix, named before the service starts, not an error at its first result.
 */
function checkOutboxFolder(folder: string): void {
  try {
    new OutboxJournal(folder);
  } catch (error) {
    if (!(error instanceof OutboxJournalError)) throw error;
    throw new AgentConfigError([
      {
        field: OUTBOX_DIR_VARIABLE,
        rule: `must name a folder the monitor can write (${error.message})`,
      },
    ]);
  }
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
