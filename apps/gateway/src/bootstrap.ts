import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { natsAnswers, natsUrlOf, runServiceProcess } from '@meshmon/service-runtime';
import { AppModule } from './app.module.js';
import { loadGatewayConfig } from './config/gateway-config.js';
import { dashboardStatic } from './dashboard-server/dashboard-static.js';
import { setUpDocs } from './docs/openapi.js';
import type { SseLimits } from './events/sse-limits.js';
import { jsonBody } from './http/json-body.middleware.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { closeRuntime, openRuntime } from './runtime/gateway-runtime.js';
import { ViewFeeder } from './view/view-feeder.service.js';

export interface GatewayHandle {
  readonly app: NestExpressApplication;
  /** `http://host:port`, with the port actually bound (MESHMON_GATEWAY_PORT=0 picks one). */
  readonly url: string;
  /** Waits until the start-up replay of the streams has finished. */
  readonly replayed: Promise<void>;
  close(): Promise<void>;
}

export interface BootstrapOptions {
  readonly sse?: SseLimits;
  readonly logger?: ('log' | 'error' | 'warn')[];
}

/**
 * Builds and starts the gateway for an environment, so tests and the benchmark boot the
 * real thing in-process. Throws GatewayConfigError or NatsUnavailableError for an
 * operator to fix; Redis and InfluxDB may be down (ready says so).
 */
export async function bootstrap(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: BootstrapOptions = {},
): Promise<GatewayHandle> {
  const config = loadGatewayConfig(env);
  const runtime = await openRuntime(config);
  let app: NestExpressApplication | undefined;
  try {
    const metrics = new GatewayMetrics();
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.register(runtime, metrics, options.sse),
      { bodyParser: false, logger: options.logger ?? ['error', 'warn'] },
    );
    const express = app.getHttpAdapter().getInstance();
    express.disable('x-powered-by');
    // ETags would hash every pairs answer (~150 KB at 32 nodes) on the hot path.
    express.set('etag', false);
    app.use(metrics.middleware);
    app.use(jsonBody);
    app.use(dashboardStatic());
    setUpDocs(app);
    await app.listen(config.http.port, config.http.host);
    const server = app.getHttpServer() as Server;
    // Longer than the idle timeouts of common proxies and clients (60 s), so the server
    // never closes a kept-alive socket just as a client reuses it (a reset request).
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    const { port } = server.address() as AddressInfo;
    const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
    const started = app;
    return {
      app: started,
      url: `http://${host}:${port}`,
      replayed: started.get(ViewFeeder).whenReplayed(),
      close: async () => {
        await started.close();
        await closeRuntime(runtime);
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await closeRuntime(runtime);
    throw error;
  }
}

/**
 * `main.ts`: start, print the URL, stop cleanly on SIGTERM or SIGINT; exit 2 on bad
 * config (in a container: stay up, not ready, naming the setting; see runServiceProcess).
 */
export function runGateway(): Promise<void> {
  return runServiceProcess({
    name: 'meshmon-gateway',
    service: 'gateway',
    start: () => bootstrap(process.env, { logger: ['log', 'error', 'warn'] }),
    // A port in use or not ours to bind is a setting to fix, not a crash.
    isUsageError: (error) =>
      ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes((error as { code?: string }).code ?? '')
        ? { field: 'MESHMON_GATEWAY_HOST / MESHMON_GATEWAY_PORT', rule: (error as Error).message }
        : null,
    started: (gateway) => process.stdout.write(`meshmon-gateway listening on ${gateway.url}\n`),
    // The gateway answers /health/* itself, on the port the held answer uses meanwhile;
    // so it gives that port up for a new attempt only once NATS accepts connections.
    servesOwnHealth: true,
    worthRetrying: () => natsAnswers(natsUrlOf(process.env)),
  });
}
