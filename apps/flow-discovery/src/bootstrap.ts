import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import {
  resolveAutoAddress,
  runServiceProcess,
  startService,
  type Env,
  type ServiceDefinition,
  type StartedService,
} from '@meshmon/service-runtime';
import { AppModule } from './app.module.js';
import {
  loadFlowDiscoveryConfig,
  type FlowDiscoveryConfig,
} from './config/flow-discovery-config.js';

/**
 * Flow discovery for the service runtime: its settings (MESHMON_ADDRESS=auto resolved
 * first), no Redis, and a Nest application context (the listener and the poll loop).
 */
export function flowDiscoveryService(
  logger: LogLevel[] = ['error', 'warn', 'log'],
): ServiceDefinition<FlowDiscoveryConfig, INestApplicationContext> {
  return {
    service: 'flow-discovery',
    settings: async (env) => loadFlowDiscoveryConfig(await resolveAutoAddress(env)),
    identity: (config) => config,
    nest: async (runtime) => {
      const app = await NestFactory.createApplicationContext(AppModule.register(runtime), {
        logger,
      });
      await app.init();
      return app;
    },
  };
}

/**
 * Boots flow discovery for one node in-process (tests). Throws FlowDiscoveryConfigError or
 * NatsUnavailableError with nothing left open; `close()` stops it the runtime's way.
 */
export function startFlowDiscovery(
  env: Env,
  logger?: LogLevel[],
): Promise<StartedService<FlowDiscoveryConfig, INestApplicationContext>> {
  return startService(flowDiscoveryService(logger), env);
}

/** The process: boots, exits 2 on operator errors, and stops cleanly on SIGTERM/SIGINT. */
export function runFlowDiscovery(env: Env = process.env): Promise<void> {
  return runServiceProcess({
    name: 'meshmon-flow-discovery',
    service: 'flow-discovery',
    start: () => startFlowDiscovery(env),
  });
}
