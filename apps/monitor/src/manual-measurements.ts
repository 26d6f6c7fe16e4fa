import { errorReply, ErrorCodes, type MeasureReply, type MeasureRequest } from '@meshmon/contracts';
import { manualLeaseHolder, type ManualReservations } from '@meshmon/leases';
import type { AgentRuntime } from '@meshmon/node-agent';
import { MeasurementError, type ProbeJob } from './probe-job.js';
import type { ProbeRunner } from './probe-runner.js';

/** Beyond the iperf3 time: leases, server start, ping and iperf3's set-up, generously. */
const MANUAL_OVERHEAD_MS = 5000;
/** Between attempts while the sensor or this node is in another measurement. */
const RETRY_MS = 250;
const MAX_ATTEMPTS = 5000;
/** Longer than a retry, short enough that a reservation of a dead monitor soon lapses. */
const RESERVATION_MS = 2000;

/**
 * Measurements asked for through the gateway. They obey the same rule as scheduled ones,
 * by the same Redis leases (sensor and own node): while either node is in another
 * measurement this waits, up to `waitMs`, and then answers `busy`. It never holds one
 * lease while waiting for the other, so it cannot deadlock with anyone.
 */
export class ManualMeasurements {
  private counter = 0;

  constructor(
    private readonly runtime: AgentRuntime,
    private readonly runner: ProbeRunner,
    private readonly bootTag: string,
    private readonly reservations: ManualReservations,
  ) {}

  async measure(request: MeasureRequest): Promise<MeasureReply> {
    const { node } = this.runtime.config;
    if (request.sensor === node) {
      return errorReply(ErrorCodes.invalidMessage, `${node} cannot measure itself`, [
        { field: 'sensor', rule: 'must be another node than the monitor' },
      ]);
    }
    this.counter += 1;
    const measurementId = `manual-${this.counter}@${this.bootTag}`;
    const waitUntil = Date.now() + request.waitMs;
    const nodes = [request.sensor, node];
    const holder = manualLeaseHolder(node, measurementId);
    try {
      return await this.attempt(request, measurementId, nodes, holder, waitUntil);
    } finally {
      await this.reservations.release(nodes, holder).catch(() => undefined);
    }
  }

  private async attempt(
    request: MeasureRequest,
    measurementId: string,
    nodes: readonly string[],
    holder: string,
    waitUntil: number,
  ): Promise<MeasureReply> {
    const { probe } = this.runtime.config;
    let refusal: MeasurementError | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const job: ProbeJob = {
        measurementId,
        sensor: request.sensor,
        deadline: Date.now() + probe.seconds * 1000 + MANUAL_OVERHEAD_MS,
        algorithm: 'manual',
        protocol: request.tool === 'iperf3-udp' ? 'udp' : 'tcp',
        holder,
      };
      let acquired;
      try {
        // Waiting: ask scheduled probes to give way (refreshed, so it lapses if we die).
        if (request.waitMs > 0) await this.reservations.reserve(nodes, holder, RESERVATION_MS);
        acquired = await this.runner.acquire(job);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return errorReply('lease-store-unavailable', `cannot take leases: ${message}`);
      }
      if (!(acquired instanceof MeasurementError)) {
        return { v: 1, ok: true, result: await this.runner.measure(job, acquired) };
      }
      refusal = acquired;
      const left = waitUntil - Date.now();
      if (left <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, left)));
    }
    return errorReply(
      ErrorCodes.busy,
      `${refusal?.message ?? 'busy'}; gave up after waiting ${request.waitMs} ms`,
    );
  }
}
