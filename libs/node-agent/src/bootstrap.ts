import { NestFactory } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import { Subjects } from '@meshmon/contracts';
import { LeaseStoreError, connectRedis } from '@meshmon/leases';
import type { ModuleKind } from '@meshmon/scheduling';
import { AgentConfigError, loadAgentConfig } from './agent-config.js';
import type { AgentRuntime } from './agent-runtime.js';
import { connectNats, NatsUnavailableError } from './connect-nats.js';
import { EventPublisher } from './event-publisher.js';
import { EXIT_USAGE } from './run-process.js';
import { MeshmonTransport } from './meshmon-transport.js';

/**
 * Starts one node service: checks the environment, connects to NATS, and runs the Nest
 * microservice on the Meshmon transport until SIGTERM or SIGINT, then shuts down in order
 * (the module's own hooks first, then the NATS connection is drained).
 */
export async function runNodeService(
  module: ModuleKind,
  appModule: (runtime: AgentRuntime) => DynamicModule,
): Promise<void> {
  const name = `meshmon-${module}`;
  let runtime: AgentRuntime;
  let listening!: () => void;
  try {
    const config = loadAgentConfig(process.env);
    const connection = await connectNats(config.natsUrl, `${name}-${config.node}`);
    const subjects = new Subjects(config.cluster);
    const events = new EventPublisher(connection, subjects, config.node, module);
    const redis = await connectRedis(config.redisUrl);
    runtime = {
      config,
      connection,
      subjects,
      events,
      redis,
      listening: new Promise<void>((resolve) => (listening = resolve)),
    };
  } catch (error) {
    if (
      error instanceof AgentConfigError ||
      error instanceof NatsUnavailableError ||
      error instanceof LeaseStoreError
    ) {
      console.error(`${name}: ${error.message}`);
      process.exit(EXIT_USAGE);
    }
    throw error;
  }

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
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    runtime.events.publish({ type: 'service-stopping' });
    // Bounded: a shutdown that hangs would leave the lab waiting on this process.
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    await app.close();
    await runtime.connection.drain().catch(() => undefined);
    runtime.redis?.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // A bug in one handler must not take the node down: report it and carry on.
  process.on('unhandledRejection', (reason) => {
    runtime.events.error({
      subject: '',
      code: 'unhandled-rejection',
      message: reason instanceof Error ? reason.message : String(reason),
    });
  });
  await app.listen();
  runtime.events.publish({ type: 'service-started' });
  listening();
}
