import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Problem } from '@meshmon/scheduling';
import { withDeadline } from '../with-deadline.js';
import type { Readiness } from './readiness.js';

/** Prometheus text and its content type, made when scraped. */
export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

/** A readiness check that hangs must not hang the probe: kubelet gives up after 3 s. */
const READY_LIMIT_MS = 2500;

export interface HealthServer {
  /** The port actually bound (0 asks the system for one). */
  readonly port: number;
  /** Swaps what `/health/ready` asks: starting, held on a bad setting, then running. */
  setReadiness(readiness: Readiness): void;
  /** What `/metrics` serves once the service runs (404 before: nothing to say yet). */
  setMetrics(metrics: MetricsSource): void;
  close(): Promise<void>;
}

/**
 * The two endpoints orchestrators probe, with no framework: the server is up before the
 * service (and stays up when the service cannot start), so it must not depend on it.
 * `GET /health/live` answers 200 while the process runs; `GET /health/ready` answers 200
 * or 503 with `{ status, problems: [{ field, rule }] }`; `GET /metrics`, once the service
 * runs, its own Prometheus figures (service-metrics.ts).
 */
export async function startHealthServer(
  port: number,
  host: string,
  readiness: Readiness,
): Promise<HealthServer> {
  let current = readiness;
  let metrics: MetricsSource | null = null;
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return reply(response, 405, { status: 'error', message: 'only GET and HEAD are allowed' });
    }
    if (path === '/health/live') return reply(response, 200, { status: 'ok' });
    if (path === '/metrics' && metrics) {
      const source = metrics;
      void source.text().then(
        (text) => {
          response.writeHead(200, {
            'content-type': source.contentType,
            'cache-control': 'no-store',
          });
          response.end(text);
        },
        (error: unknown) => reply(response, 500, { status: 'error', message: String(error) }),
      );
      return;
    }
    if (path !== '/health/ready') {
      return reply(response, 404, { status: 'error', message: `no route ${path}` });
    }
    void boundedReadiness(current).then((problems) =>
      problems.length === 0
        ? reply(response, 200, { status: 'ready' })
        : reply(response, 503, { status: 'not-ready', problems }),
    );
  });
  await listen(server, port, host);
  return {
    port: (server.address() as AddressInfo).port,
    setReadiness: (next) => (current = next),
    setMetrics: (next) => (metrics = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function boundedReadiness(readiness: Readiness): Promise<readonly Problem[]> {
  const failed = (error: unknown) => [
    { field: 'service', rule: `readiness check failed: ${String(error)}` },
  ];
  // A failed check is already a problem above, so only the deadline can reject here.
  return withDeadline(readiness().catch(failed), READY_LIMIT_MS, () => new Error('late')).catch(
    () => [{ field: 'service', rule: `readiness check took longer than ${READY_LIMIT_MS} ms` }],
  );
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
