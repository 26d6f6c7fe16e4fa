import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  decodeSchedulerControl,
  encodeSchedulerControl,
  type SchedulerControl,
  type SchedulerStart,
} from '@meshmon/contracts';
import {
  defaultSchedulerConfig,
  mergeSchedulerConfig,
  SCHEDULER_PARAM_PATHS,
  schedulerOverrides,
  validateSchedulerConfig,
  type SchedulerParams,
} from '@meshmon/scheduling';
import { ApiError } from '../http/api-error.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import type {
  SchedulerStartDto,
  SchedulerStartedDto,
  SchedulerStateDto,
  SchedulerStoppedDto,
} from './scheduler.dto.js';

const utf8 = new TextDecoder();

/**
 * Starts and stops scheduler runs. The order is written to Redis first (services that
 * start later read it there) and then broadcast on `control.scheduler`; if Redis cannot
 * take it nothing is broadcast, so the two never disagree because of the gateway.
 */
@Injectable()
export class SchedulerService {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  async start(body: SchedulerStartDto): Promise<SchedulerStartedDto> {
    // The DTO let through only known parameters, each a finite number.
    const params: SchedulerParams = Object.fromEntries(
      SCHEDULER_PARAM_PATHS.filter((path) => body[path] !== undefined).map((path) => [
        path,
        body[path] as number,
      ]),
    );
    const problems = validateSchedulerConfig(
      mergeSchedulerConfig(defaultSchedulerConfig(), schedulerOverrides(params)),
    );
    if (problems.length > 0) {
      throw ApiError.invalid(problems, 'the scheduler parameters do not fit together');
    }
    const order: SchedulerStart = {
      v: 1,
      action: 'start',
      runId: randomUUID(),
      algorithm: body.algorithm,
      params,
      requestedAtMs: Date.now(),
    };
    await this.send(order);
    return {
      runId: order.runId,
      algorithm: order.algorithm,
      params,
      requestedAtMs: order.requestedAtMs,
    };
  }

  /** Stops the run in force (a new runId when none is known). */
  async stop(): Promise<SchedulerStoppedDto> {
    const current = await this.state();
    const runId = current.state === 'running' && current.runId ? current.runId : randomUUID();
    const order: SchedulerControl = { v: 1, action: 'stop', runId, requestedAtMs: Date.now() };
    await this.send(order);
    return { runId, requestedAtMs: order.requestedAtMs };
  }

  async state(): Promise<SchedulerStateDto> {
    let raw: string | null;
    try {
      raw = await this.runtime.redis.get(this.runtime.subjects.redis.schedulerState);
    } catch (error) {
      throw ApiError.unavailable('Redis is unavailable: the scheduler state cannot be read', error);
    }
    if (raw === null) return { state: 'unknown' };
    const decoded = decodeSchedulerControl(raw);
    // Someone wrote something else under the key: say we do not know rather than fail.
    if (!decoded.ok) return { state: 'unknown' };
    const order = decoded.value;
    return order.action === 'start'
      ? {
          state: 'running',
          runId: order.runId,
          algorithm: order.algorithm,
          params: { ...order.params },
          requestedAtMs: order.requestedAtMs,
        }
      : { state: 'stopped', runId: order.runId, requestedAtMs: order.requestedAtMs };
  }

  private async send(order: SchedulerControl): Promise<void> {
    const { redis, subjects, nats } = this.runtime;
    const payload = encodeSchedulerControl(order);
    try {
      await redis.set(subjects.redis.schedulerState, utf8.decode(payload));
    } catch (error) {
      throw ApiError.unavailable('Redis is unavailable: the scheduler order was not sent', error);
    }
    nats.publish(subjects.schedulerControl, payload);
  }
}
