import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { Subjects } from '@meshmon/contracts';
import {
  connectNats,
  EventPublisher,
  natsReadiness,
  resolveAutoAddress,
  runServiceProcess,
  type RunningService,
} from '@meshmon/service-runtime';
import { AppModule } from './app.module.js';
import { loadFlowDiscoveryConfig } from './config/flow-discovery-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Boots flow discovery for one node: checks the environment, connects to NATS and
 * starts the Nest application context (listener and poll loop). Throws
 * FlowDiscoveryConfigError or NatsUnavailableError; `close()` on the result stops it
 * (service-stopping, then NATS drained).
 */
export async function bootstrap(
  env: Env = process.env,
  logger: LogLevel[] = ['error', 'warn', 'log'],
): Promise<INestApplicationContext> {
  return (await startFlowDiscovery(env, logger)).app;
}

/** A running flow discovery, as its process holds it. */
export interface FlowDiscovery extends RunningService {
  readonly app: INestApplicationContext;
}

/** `bootstrap`, plus what the process needs: readiness (NATS) and close. */
export async function startFlowDiscovery(
  env: Env,
  logger: LogLevel[] = ['error', 'warn', 'log'],
): Promise<FlowDiscovery> {
  const config = loadFlowDiscoveryConfig(await resolveAutoAddress(env));
  const connection = await connectNats(config.natsUrl, `meshmon-flow-discovery-${config.node}`);
  const subjects = new Subjects(config.cluster);
  const events = new EventPublisher(connection, subjects, config.node, 'flow-discovery');
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.register({ config, connection, subjects, events }),
      { logger },
    );
    events.publish({ type: 'service-started' });
    return { app, readiness: natsReadiness(connection, config.natsUrl), close: () => app.close() };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** The process: boots, exits 2 on operator errors, and stops cleanly on SIGTERM/SIGINT. */
export function runFlowDiscovery(env: Env = process.env): Promise<void> {
  return runServiceProcess({
    name: 'meshmon-flow-discovery',
    service: 'flow-discovery',
    start: () => startFlowDiscovery(env),
  });
}
