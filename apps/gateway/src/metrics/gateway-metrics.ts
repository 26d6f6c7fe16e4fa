import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global
 * one) so two gateways in one process, as in the integration tests, do not collide.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'meshmon_gateway_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
    registers: [this.registry],
  });
  readonly sseClients = new Gauge({
    name: 'meshmon_gateway_sse_clients',
    help: 'Clients connected to /api/v1/events',
    registers: [this.registry],
  });
  readonly sseDropped = new Counter({
    name: 'meshmon_gateway_sse_clients_dropped_total',
    help: 'SSE clients disconnected because they fell too far behind',
    registers: [this.registry],
  });
  readonly natsMessages = new Counter({
    name: 'meshmon_gateway_nats_messages_total',
    help: 'NATS messages the gateway received, by kind (event, error, result) and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly viewNodes = new Gauge({
    name: 'meshmon_gateway_view_nodes',
    help: 'Nodes in the live view',
    registers: [this.registry],
  });
  readonly viewPairs = new Gauge({
    name: 'meshmon_gateway_view_pairs',
    help: 'Ordered node pairs in the live view',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'meshmon_gateway_' });
  }

  /** Express middleware: times every request once it has been answered. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // The route pattern, never the raw path: node names in paths would explode the labels.
      const route = request.route?.path
        ? `${request.baseUrl}${String(request.route.path)}`
        : 'unmatched';
      this.httpDuration.observe(
        { route, method: request.method, status: String(response.statusCode) },
        seconds,
      );
    });
    next();
  };
}
