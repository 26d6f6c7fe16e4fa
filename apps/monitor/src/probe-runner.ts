import { randomBytes } from 'node:crypto';
import {
  decodeServerStartReply,
  encodeServerStartRequest,
  encodeServerStopRequest,
  type MeasurementResult,
  type ServerStartRequest,
} from '@meshmon/contracts';
import type { Lease, SensorLeases } from '@meshmon/leases';
import type { AgentRuntime } from '@meshmon/node-agent';
import {
  ProbeError,
  runIperfClient,
  runPing,
  type IperfResult,
  type PingResult,
} from '@meshmon/probes';
import type { ProbeOrder } from '@meshmon/scheduling';

/** Kept free before the lock's end for stopping the server and releasing the lease. */
const CLEANUP_MARGIN_MS = 300;
const SERVER_REQUEST_TIMEOUT_MS = 3000;

/** A step of a measurement failed; `code` names which and why, for the probe-failed event. */
export class MeasurementError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One measurement, as the monitor's machine ordered it: take the Redis lease on the
 * sensor (its fencing token goes with the result), have the sensor start a one-off
 * iperf3 server, ping, run the iperf3 client, and clean up, all before the deadline the
 * machine set inside the sensor's lock. Every outcome, good or failed, becomes a result.
 */
export class ProbeRunner {
  /**
   * The machine numbers measurements from 1 at every start; this process's random tag
   * keeps a restarted monitor's ids unique, for JetStream's dedup and for lease holders.
   */
  private readonly bootTag = randomBytes(4).toString('hex');
  private abort: AbortController | null = null;

  constructor(
    private readonly runtime: AgentRuntime,
    private readonly leases: SensorLeases,
    private readonly publish: (result: MeasurementResult) => void,
  ) {}

  /** Kills the running probe's child processes (service shutdown). */
  cancel(): void {
    this.abort?.abort();
  }

  async run(order: ProbeOrder): Promise<boolean> {
    const { config, events } = this.runtime;
    const startedAtMs = Date.now();
    const measurementId = `${order.measurementId}@${this.bootTag}`;
    const holder = `${config.node}/monitor/${measurementId}`;
    const abort = new AbortController();
    this.abort = abort;
    let lease: Lease | null = null;
    let serverStarted = false;
    let ping: PingResult | null = null;
    let iperf: IperfResult | null = null;
    let failure: MeasurementError | null = null;
    try {
      lease = await this.leases.acquire(
        order.sensor,
        holder,
        Math.max(1, order.deadline - startedAtMs),
      );
      if (!lease)
        throw new MeasurementError(
          'lease-held',
          `the lease on ${order.sensor} is held by another monitor`,
        );
      const server = await this.startServer(order, measurementId, lease);
      serverStarted = true;
      ping = await this.ping(server.host, order.deadline, abort.signal);
      iperf = await runIperfClient({
        host: server.host,
        port: server.port,
        seconds: config.probe.seconds,
        protocol: config.probe.protocol,
        udpBitrate: config.probe.protocol === 'udp' ? config.probe.udpBitrate : undefined,
        bindAddress: config.address,
        timeoutMs: Math.max(1, order.deadline - Date.now() - CLEANUP_MARGIN_MS),
        signal: abort.signal,
      });
    } catch (error) {
      failure = asMeasurementError(error);
    } finally {
      if (serverStarted) await this.stopServer(order, measurementId);
      if (lease) await this.leases.release(lease).catch(() => false);
      if (this.abort === abort) this.abort = null;
    }
    const endedAtMs = Date.now();
    if (failure) {
      events.publish({
        type: 'probe-failed',
        monitor: config.node,
        sensor: order.sensor,
        measurementId,
        code: failure.code,
        message: failure.message,
      });
    }
    this.publish(
      this.result(order, measurementId, lease, startedAtMs, endedAtMs, ping, iperf, failure),
    );
    return failure === null;
  }

  private async startServer(
    order: ProbeOrder,
    measurementId: string,
    lease: Lease,
  ): Promise<{ host: string; port: number }> {
    const { config, connection, subjects } = this.runtime;
    const request: ServerStartRequest = {
      v: 1,
      measurementId,
      monitor: config.node,
      fencingToken: lease.token,
      leaseHolder: lease.holder,
      protocol: config.probe.protocol,
      seconds: config.probe.seconds,
    };
    let replyData: Uint8Array;
    try {
      const reply = await connection.request(
        subjects.serverStart(order.sensor),
        encodeServerStartRequest(request),
        { timeout: Math.min(SERVER_REQUEST_TIMEOUT_MS, Math.max(1, order.deadline - Date.now())) },
      );
      replyData = reply.data;
    } catch (error) {
      throw new MeasurementError(
        'sensor-unreachable',
        `server start on ${order.sensor}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const decoded = decodeServerStartReply(replyData);
    if (!decoded.ok) {
      throw new MeasurementError(
        'bad-reply',
        `server start on ${order.sensor}: ${decoded.problems.map((p) => `${p.field}: ${p.rule}`).join('; ')}`,
      );
    }
    const reply = decoded.value;
    if (!reply.ok)
      throw new MeasurementError(
        reply.error.code,
        `server start on ${order.sensor}: ${reply.error.message}`,
      );
    return { host: reply.host, port: reply.port };
  }

  private async stopServer(order: ProbeOrder, measurementId: string): Promise<void> {
    const { connection, subjects } = this.runtime;
    try {
      await connection.request(
        subjects.serverStop(order.sensor),
        encodeServerStopRequest({ v: 1, measurementId }),
        { timeout: 1000 },
      );
    } catch {
      // The one-off server exits by itself after the client, or at its idle timeout.
    }
  }

  /** RTT before the throughput test, so the test's own queueing does not inflate it. */
  private async ping(
    host: string,
    deadline: number,
    signal: AbortSignal,
  ): Promise<PingResult | null> {
    const { probe } = this.runtime.config;
    try {
      return await runPing({
        host,
        count: probe.pingCount,
        intervalSeconds: probe.pingIntervalSeconds,
        timeoutMs: Math.max(1, Math.min(2000, deadline - Date.now() - CLEANUP_MARGIN_MS)),
        signal,
      });
    } catch (error) {
      if (error instanceof ProbeError && error.code === 'cancelled') throw error;
      return null;
    }
  }

  private result(
    order: ProbeOrder,
    measurementId: string,
    lease: Lease | null,
    startedAtMs: number,
    endedAtMs: number,
    ping: PingResult | null,
    iperf: IperfResult | null,
    failure: MeasurementError | null,
  ): MeasurementResult {
    const { config, subjects } = this.runtime;
    const common = {
      v: 1 as const,
      measurementId,
      cluster: subjects.cluster,
      monitor: config.node,
      sensor: order.sensor,
      algorithm: config.algorithm,
      tool: config.probe.protocol === 'udp' ? ('iperf3-udp' as const) : ('iperf3-tcp' as const),
      fencingToken: lease?.token ?? 0,
      startedAtMs,
      endedAtMs,
      parameters: {
        seconds: config.probe.seconds,
        protocol: config.probe.protocol,
        ...(config.probe.protocol === 'udp' ? { udpBitrate: config.probe.udpBitrate } : {}),
      },
      throughput: iperf
        ? {
            bitsPerSecond: iperf.bitsPerSecond,
            bytes: iperf.bytes,
            retransmits: iperf.retransmits,
            jitterMs: iperf.jitterMs,
            lostPercent: iperf.lostPercent,
          }
        : null,
      rtt:
        ping && ping.rttMs
          ? {
              minMs: ping.rttMs.min,
              avgMs: ping.rttMs.avg,
              maxMs: ping.rttMs.max,
              mdevMs: ping.rttMs.mdev,
              lossPercent: ping.lossPercent,
            }
          : null,
      cpu: iperf ? { ...iperf.cpu } : null,
    };
    if (failure)
      return { ...common, ok: false, error: { code: failure.code, message: failure.message } };
    if (!common.throughput || !common.cpu) {
      return {
        ...common,
        ok: false,
        error: { code: 'failed', message: 'probe ended without figures' },
      };
    }
    return { ...common, ok: true, throughput: common.throughput, cpu: common.cpu };
  }
}

function asMeasurementError(error: unknown): MeasurementError {
  if (error instanceof MeasurementError) return error;
  if (error instanceof ProbeError)
    return new MeasurementError(`${error.tool}-${error.code}`, error.message);
  return new MeasurementError('failed', error instanceof Error ? error.message : String(error));
}
