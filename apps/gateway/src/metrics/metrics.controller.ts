import { Controller, Get, Res, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LiveView } from '../view/live-view.js';
import { GatewayMetrics } from './gateway-metrics.js';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
    @Inject(LiveView) private readonly view: LiveView,
  ) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    const nodes = this.view.nodeCount;
    this.metrics.viewNodes.set(nodes);
    this.metrics.viewPairs.set(nodes * Math.max(0, nodes - 1));
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
