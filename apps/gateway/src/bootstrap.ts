import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  natsAnswers,
  natsUrlOf,
  runServiceProcess,
  startService,
  type ServiceDefinition,
  type StartedService,
} from '@meshmon/service-runtime';
import { AppModule } from './app.module.js';
import { loadGatewayConfig, type GatewayConfig } from './config/gateway-config.js';
import { dashboardStatic } from './dashboard-server/dashboard-static.js';
import { setUpDocs } from './docs/openapi.js';
import type { SseLimits } from './events/sse-limits.js';
import { jsonBody } from './http/json-body.middleware.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { gatewayRuntime } from './runtime/gateway-runtime.js';
import { ViewFeeder } from './view/view-feeder.service.js';

export interface GatewayHandle extends StartedService<GatewayConfig, NestExpressApplication> {
  /** `http://host:port`, with the port actually bound (MESHMON_GATEWAY_PORT=0 picks one). */
  readonly url: string;
  /** Waits until the start-up replay of the streams has finished. */
  readonly replayed: Promise<void>;
}

export interface BootstrapOptions {
  readonly sse?: SseLimits;
  readonly logger?: ('log' | 'error' | 'warn')[];
}

/**
 * The gateway for the service runtime: its settings, Redis in the background, and a Nest
 * HTTP application on MESHMON_GATEWAY_HOST:PORT. It answers `/health/*` itself (with
 * each dependency's check), so the runtime's readiness is not served separately.
 */
export function gatewayService(
  options: BootstrapOptions = {},
): ServiceDefinition<GatewayConfig, NestExpressApplication> {
  return {
    service: 'gateway',
    settings: (env) => loadGatewayConfig(env),
    identity: (config) => config,
    redis: 'background',
    nest: async (base) => {
      const metrics = new GatewayMetrics();
      const app = await NestFactory.create<NestExpressApplication>(
        AppModule.register(gatewayRuntime(base), metrics, options.sse),
        { bodyParser: false, logger: options.logger ?? ['error', 'warn'] },
      );
      try {
        const express = app.getHttpAdapter().getInstance();
        express.disable('x-powered-by');
        // ETags would hash every pairs answer (~150 KB at 32 nodes) on the hot path.
        express.set('etag', false);
        app.use(metrics.middleware);
        app.use(jsonBody);
        app.use(dashboardStatic());
        setUpDocs(app);
        await app.listen(base.config.http.port, base.config.http.host);
      } catch (error) {
        await app.close().catch(() => undefined);
        throw error;
      }
      const server = app.getHttpServer() as Server;
      // Longer than the idle timeouts of common proxies and clients (60 s), so the server
      // never closes a kept-alive socket just as a client reuses it (a reset request).
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 66_000;
      return app;
    },
  };
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
  const gateway = await startService(gatewayService(options), env);
  const { app } = gateway;
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const { host: bound } = gateway.base.config.http;
  const host = bound.includes(':') ? `[${bound}]` : bound;
  return {
    ...gateway,
    url: `http://${host}:${port}`,
    replayed: app.get(ViewFeeder).whenReplayed(),
  };
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
