import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { withDeadline } from '@meshmon/service-runtime';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';

/** Each dependency gets this long to answer before it counts as down. */
export const CHECK_TIMEOUT_MS = 1000;

export interface CheckResult {
  readonly status: 'up' | 'down';
  readonly latencyMs: number;
  readonly error?: string;
}

async function check(probe: () => Promise<unknown>): Promise<CheckResult> {
  const start = performance.now();
  try {
    await withDeadline(
      probe(),
      CHECK_TIMEOUT_MS,
      () => new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`),
    );
    return { status: 'up', latencyMs: Math.round(performance.now() - start) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - start),
      error: message.slice(0, 200),
    };
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  /** The process answers: nothing else is checked, so an orchestrator restarts only a hung gateway. */
  @Get('live')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ status: "ok" }' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'every dependency answered' })
  @ApiServiceUnavailableResponse({ description: 'at least one dependency is down' })
  async ready(@Res() response: Response): Promise<void> {
    const { nats, redis, influx } = this.runtime;
    const [natsCheck, redisCheck, influxCheck] = await Promise.all([
      check(async () => {
        if (nats.isClosed()) throw new Error('connection closed');
        await nats.flush();
      }),
      check(() => redis.ping()),
      check(async () => {
        const [host] = await influx.ping(CHECK_TIMEOUT_MS);
        if (!host?.online) throw new Error('ping failed');
      }),
    ]);
    const checks = { nats: natsCheck, redis: redisCheck, influx: influxCheck };
    const ok = Object.values(checks).every((result) => result.status === 'up');
    response.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  }
}
