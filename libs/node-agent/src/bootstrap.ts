import { NestFactory } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Subjects } from '@meshmon/contracts';
import { connectRedis } from '@meshmon/leases';
import type { ModuleKind } from '@meshmon/scheduling';
import { loadAgentConfig } from './agent-config.js';
import type { AgentRuntime } from './agent-runtime.js';
import { connectNats } from '@meshmon/service-runtime';
import { EventPublisher } from '@meshmon/service-runtime';
import { MeshmonTransport } from './meshmon-transport.js';
import { natsReadiness, redisReadiness } from '@meshmon/service-runtime';
import { resolveAutoAddress } from '@meshmon/service-runtime';
import { runServiceProcess, type RunningService } from '@meshmon/service-runtime';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Starts one node service: checks the environment, connects to NATS and Redis, and runs
 * the Nest microservice on the Meshmon transport. Throws what the operator must fix
 * (AgentConfigError, NatsUnavailableError, LeaseStoreError) with nothing left open.
 * `close()` shuts down in order: the module's own hooks first, then NATS is drained.
 */
export async function startNodeService(
  module: ModuleKind,
  appModule: (runtime: AgentRuntime) => DynamicModule,
  env: Env,
): Promise<RunningService> {
  const name = `meshmon-${module}`;
  const config = loadAgentConfig(await resolveAutoAddress(env));
  const connection = await connectNats(config.natsUrl, `${name}-${config.node}`);
  let redis: Redis | null = null;
  try {
    const subjects = new Subjects(config.cluster);
    const events = new EventPublisher(connection, subjects, config.node, module);
    redis = await connectRedis(config.redisUrl);
    let listening!: () => void;
    const runtime: AgentRuntime = {
      config,
      connection,
      subjects,
      events,
      redis,
      listening: new Promise<void>((resolve) => (listening = resolve)),
    };
    const transport = new MeshmonTransport(connection, subjects, config.node, module, events);
    const app = await NestFactory.createMicroservice(appModule(runtime), {
      strategy: transport,
      logger: ['error', 'warn'],
    });
    await app.listen();
    events.publish({ type: 'service-started' });
    listening();
    const nats = natsReadiness(connection, config.natsUrl);
    const store = redisReadiness(redis, config.redisUrl);
    return {
      readiness: async () => [...(await nats()), ...(await store())],
      // A bug in one handler must not take the node down: report it and carry on.
      reportStray: (reason) =>
        events.error({
          subject: '',
          code: 'unhandled-rejection',
          message: reason instanceof Error ? reason.message : String(reason),
        }),
      close: async () => {
        events.publish({ type: 'service-stopping' });
        await app.close();
        await connection.drain().catch(() => undefined);
        runtime.redis?.disconnect();
      },
    };
  } catch (error) {
    redis?.disconnect();
    await connection.close().catch(() => undefined);
    throw error;
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
    start: () => startNodeService(module, appModule, process.env),
  });
}
