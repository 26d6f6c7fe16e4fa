import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import type { SinkStats } from '@meshmon/contracts';
import {
  dependencyProblem,
  DEPENDENCY_CHECK_MS,
  runServiceProcess,
  SharedSettings,
  startService,
  type Env,
  type ServiceDefinition,
  type StartedService,
} from '@meshmon/service-runtime';
import { AppModule } from './app.module.js';
import { loadSinkConfig, type SinkConfig } from './config/sink-config.js';
import { SinkService } from './sink/sink.service.js';

/**
 * The sink for the service runtime: its settings, no Redis, a Nest application context
 * (the consumers and the InfluxDB writer), and InfluxDB in its readiness. On the bus it
 * goes by its consumer name (MESHMON_SINK_NAME).
 */
export function resultSinkService(
  logger: LogLevel[] = ['error', 'warn', 'log'],
): ServiceDefinition<SinkConfig, INestApplicationContext> {
  return {
    service: 'result-sink',
    settings: loadSinkConfig,
    identity: (config) => ({ ...config, node: config.name }),
    nest: async (runtime) => {
      const app = await NestFactory.createApplicationContext(AppModule.register(runtime), {
        logger,
      });
      await app.init();
      return app;
    },
    readiness: (app) => () =>
      dependencyProblem(SharedSettings.INFLUX_URL.variable, 'InfluxDB', () =>
        app.get(SinkService).storeAnswers(DEPENDENCY_CHECK_MS),
      ),
  };
}

/** A running sink, as tests and `bootstrap` hold it. */
export interface ResultSink extends StartedService<SinkConfig, INestApplicationContext> {
  stats(): SinkStats;
}

/**
 * Starts the sink from an environment: throws SinkConfigError (every bad variable) or
 * NatsUnavailableError before anything runs. Closing stops consuming (the batch in hand
 * goes back unacknowledged) and drains NATS. Exported so tests boot the real app.
 */
export async function startResultSink(env: Env, logger?: LogLevel[]): Promise<ResultSink> {
  const sink = await startService(resultSinkService(logger), env);
  const service = sink.app.get(SinkService);
  return Object.assign(sink, { stats: () => service.stats() });
}

/**
 * `node main.js`: the sink until SIGTERM or SIGINT. Exit 2 (no stack trace) for what the
 * operator must fix: bad variables, no NATS; then 0 after a clean shutdown.
 */
export function bootstrap(): Promise<void> {
  return runServiceProcess({
    name: 'meshmon-result-sink',
    service: 'result-sink',
    start: () => startResultSink(process.env),
  });
}
