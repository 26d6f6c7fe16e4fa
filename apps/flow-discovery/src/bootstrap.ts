import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { Subjects } from '@meshmon/contracts';
import { connectNats, EventPublisher, NatsUnavailableError } from '@meshmon/node-agent';
import { AppModule } from './app.module.js';
import {
  FlowDiscoveryConfigError,
  loadFlowDiscoveryConfig,
} from './config/flow-discovery-config.js';

/** Exit code for anything the operator must fix (configuration, a missing server). */
export const EXIT_USAGE = 2;
/** A shutdown that hangs would leave the lab waiting on this process. */
const SHUTDOWN_LIMIT_MS = 10_000;

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
export async function runFlowDiscovery(env: Env = process.env): Promise<void> {
  let app: INestApplicationContext;
  try {
    app = await bootstrap(env);
  } catch (error) {
    if (error instanceof FlowDiscoveryConfigError || error instanceof NatsUnavailableError) {
      process.stderr.write(`meshmon-flow-discovery: ${error.message}\n`);
      process.exit(EXIT_USAGE);
    }
    throw error;
  }
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
