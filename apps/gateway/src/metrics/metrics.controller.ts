import { Controller, Get, Res, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LiveView } from '../view/live-view.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
    @Inject(LiveView) private readonly view: LiveView,
    @Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime,
  ) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    const nodes = this.view.nodeCount;
    this.metrics.viewNodes.set(nodes);
    this.metrics.viewPairs.set(nodes * Math.max(0, nodes - 1));
    // The gateway's own figures and what it measures, then its NATS and Redis clients'
    // state as every service reports it (the runtime's), in one answer.
    const own = await this.metrics.registry.metrics();
    const clients = await this.runtime.clientMetrics.text();
    response.type(this.metrics.registry.contentType).send(`${own}\n${clients}`);
  }
}
