import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../http/api-error.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { EventHub, type RelayedMessage } from './event-hub.js';
import { EventsQueryDto } from './events.dto.js';
import { SSE_LIMITS, type SseLimits } from './sse-limits.js';
import { ValidQuery } from '../http/api-validation.pipe.js';

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/v1/events')
export class EventsController {
  constructor(
    @Inject(EventHub) private readonly hub: EventHub,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
    @Inject(SSE_LIMITS) private readonly limits: SseLimits,
  ) {}

  /**
   * Server-sent events relaying the cluster's NATS events and results as they arrive.
   * Each client has a bounded send buffer: one that falls behind is disconnected rather
   * than allowed to grow the gateway's memory (EventSource reconnects on its own).
   */
  @Get()
  @ApiOkResponse({ description: 'text/event-stream', content: { 'text/event-stream': {} } })
  stream(
    @ValidQuery(EventsQueryDto) query: EventsQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    if (this.hub.size >= this.limits.maxClients) {
      throw ApiError.unavailable(`at most ${this.limits.maxClients} event clients at once`);
    }
    const types =
      query.types === undefined ? null : new Set(query.types.split(',').map((type) => type.trim()));
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    response.write(': connected\n\n');
    this.metrics.sseClients.inc();

    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      this.metrics.sseClients.dec();
      response.end();
    };
    const unsubscribe = this.hub.subscribe((message: RelayedMessage) => {
      if (closed || (types !== null && !types.has(message.type))) return;
      if (response.writableLength > this.limits.maxBufferedBytes) {
        this.metrics.sseDropped.inc();
        close();
        response.destroy();
        return;
      }
      response.write(frame(message));
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), this.limits.heartbeatMs);
    heartbeat.unref();
    request.once('close', close);
    response.once('error', close);
  }
}

/** JSON has no raw newlines, but a `data:` line per line keeps even odd input framed. */
function frame(message: RelayedMessage): string {
  const data = message.json
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  return `event: ${message.type}\n${data}\n\n`;
}
