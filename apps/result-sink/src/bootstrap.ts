import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { Subjects, type SinkStats } from '@meshmon/contracts';
import {
  connectNats,
  EventPublisher,
  natsReadiness,
  runServiceProcess,
  type RunningService,
} from '@meshmon/service-runtime';
import { dependencyProblem, DEPENDENCY_CHECK_MS, SharedSettings } from '@meshmon/service-runtime';
import { AppModule } from './app.module.js';
import { loadSinkConfig } from './config/sink-config.js';
import { SinkService } from './sink/sink.service.js';

/** A running sink, as tests and `bootstrap` hold it. */
export interface ResultSink extends RunningService {
  readonly app: INestApplicationContext;
  stats(): SinkStats;
  /** Stops consuming (the batch in hand goes back unacknowledged), drains NATS. */
  close(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Starts the sink from an environment: throws SinkConfigError (every bad variable) or
 * NatsUnavailableError before anything runs. Exported so tests boot the real app.
 */
export async function startResultSink(
  env: Env,
  logger: LogLevel[] = ['error', 'warn', 'log'],
): Promise<ResultSink> {
  const config = loadSinkConfig(env);
  const connection = await connectNats(config.natsUrl, `meshmon-result-sink-${config.name}`);
  const subjects = new Subjects(config.cluster);
  const events = new EventPublisher(connection, subjects, config.name, 'result-sink');
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(
      AppModule.register({ config, connection, subjects, events }),
      { logger },
    );
    await app.init();
  } catch (error) {
    await connection.close();
    throw error;
  }
  events.publish({ type: 'service-started' });
  const service = app.get(SinkService);
  const nats = natsReadiness(connection, config.natsUrl);
  const influx = () =>
    dependencyProblem(SharedSettings.INFLUX_URL.variable, 'InfluxDB', () =>
      service.storeAnswers(DEPENDENCY_CHECK_MS),
    );
  let closing: Promise<void> | null = null;
  return {
    app,
    stats: () => service.stats(),
    readiness: async () => [...(await nats()), ...(await influx())],
    close: () =>
      (closing ??= (async () => {
        events.publish({ type: 'service-stopping' });
        await app.close();
        await connection.drain().catch(() => undefined);
      })()),
  };
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
