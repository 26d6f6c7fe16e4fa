import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { Subjects } from '@meshmon/contracts';
import { connectNats, EventPublisher, runServiceProcess } from '@meshmon/node-agent';
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
  const config = loadFlowDiscoveryConfig(env);
  const connection = await connectNats(config.natsUrl, `meshmon-flow-discovery-${config.node}`);
  const subjects = new Subjects(config.cluster);
  const events = new EventPublisher(connection, subjects, config.node, 'flow-discovery');
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.register({ config, connection, subjects, events }),
      { logger },
    );
    events.publish({ type: 'service-started' });
    return app;
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** The process: boots, exits 2 on operator errors, and stops cleanly on SIGTERM/SIGINT. */
export function runFlowDiscovery(env: Env = process.env): Promise<void> {
  return runServiceProcess({ name: 'meshmon-flow-discovery', start: () => bootstrap(env) });
}
