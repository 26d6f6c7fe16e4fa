import { Inject, Injectable } from '@nestjs/common';
import { errors as natsErrors } from '@nats-io/transport-node';
import {
  decodeMeasureReply,
  encodeMeasureRequest,
  ErrorCodes,
  type MeasurementResult,
} from '@meshmon/contracts';
import { ApiError } from '../http/api-error.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { requireKnownPair } from '../view/known-pair.js';
import { LiveView } from '../view/live-view.js';
import { DEFAULT_MEASURE_WAIT_MS, type MeasurementBodyDto } from './measurements.dto.js';

/** Beyond the wait and the probe: lease, server start, ping and the reply's way back. */
export const MEASURE_MARGIN_MS = 15_000;

/**
 * A measurement now, by NATS request to the monitor, which runs it under the usual lease
 * rules: it waits up to `waitMs` for both nodes and answers `busy` after that, so a
 * manual measurement never overlaps a scheduled one.
 */
@Injectable()
export class MeasurementsService {
  constructor(
    @Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime,
    @Inject(LiveView) private readonly view: LiveView,
  ) {}

  async measure(body: MeasurementBodyDto): Promise<{ result: MeasurementResult }> {
    requireKnownPair(this.view, body.monitor, body.sensor);
    const waitMs = body.waitMs ?? DEFAULT_MEASURE_WAIT_MS;
    const timeout = waitMs + this.runtime.config.probeSeconds * 1000 + MEASURE_MARGIN_MS;
    const { nats, subjects } = this.runtime;
    let data: Uint8Array;
    try {
      const reply = await nats.request(
        subjects.measureRequest(body.monitor),
        encodeMeasureRequest({ v: 1, sensor: body.sensor, tool: body.tool, waitMs }),
        { timeout },
      );
      data = reply.data;
    } catch (error) {
      throw requestError(error, body.monitor, timeout);
    }
    const decoded = decodeMeasureReply(data);
    if (!decoded.ok) {
      throw new ApiError(
        502,
        'bad-gateway',
        `monitor ${body.monitor} sent a reply that is not a measure reply`,
        decoded.problems,
      );
    }
    const reply = decoded.value;
    if (reply.ok) return { result: reply.result };
    const { code, message, problems } = reply.error;
    if (code === ErrorCodes.busy) throw new ApiError(409, 'busy', message);
    if (code === ErrorCodes.invalidMessage) {
      throw new ApiError(400, 'invalid-request', message, problems ?? []);
    }
    throw new ApiError(502, 'bad-gateway', `monitor ${body.monitor} failed: ${code}: ${message}`);
  }
}

/** nats.js tells "no one listens" apart from "no answer in time" (possibly as the cause). */
function requestError(error: unknown, monitor: string, timeout: number): ApiError {
  const causes = [error, (error as { cause?: unknown })?.cause];
  const noResponders = causes.some(
    (cause) =>
      cause instanceof natsErrors.NoRespondersError ||
      (cause instanceof natsErrors.RequestError && cause.isNoResponders()),
  );
  if (noResponders) return ApiError.unavailable(`no monitor answers on node ${monitor}`, error);
  if (causes.some((cause) => cause instanceof natsErrors.TimeoutError)) {
    const message = `monitor ${monitor} did not answer within ${timeout} ms`;
    return new ApiError(504, 'timeout', message, undefined, { cause: error });
  }
  return ApiError.unavailable(`the request to monitor ${monitor} failed: ${String(error)}`, error);
}
