import {
  decodeServerStartReply,
  encodeServerStartRequest,
  encodeServerStopRequest,
  type MeasurementResult,
  type ServerStartRequest,
} from '@meshmon/contracts';
import type { Lease, ManualReservations, SensorLeases } from '@meshmon/leases';
import type { AgentRuntime } from '@meshmon/node-agent';
import {
  ProbeError,
  runIperfClient,
  runPing,
  type IperfResult,
  type PingResult,
} from '@meshmon/probes';
import { measurementResult } from './measurement-result.js';
import { MeasurementError, type ProbeJob } from './probe-job.js';

/** Kept free before the lock's end for stopping the server and releasing the lease. */
const CLEANUP_MARGIN_MS = 300;
/** Of that, what stopping the server may not use: the lease must still be held after it. */
const RELEASE_MARGIN_MS = 100;
const SERVER_REQUEST_TIMEOUT_MS = 3000;

/** The two leases a measurement holds: the sensor's, and the monitor's own node's. */
export interface ProbeLeases {
  readonly sensor: Lease;
  readonly own: Lease;
}

/**
 * One measurement: take the Redis leases on the sensor and on this node (so that neither
 * node is in another measurement meanwhile: the sensor's lease keeps other monitors off
 * the sensor, our own keeps manual measurements off us), have the sensor start a one-off
 * iperf3 server, ping, run the iperf3 client, and clean up, all before the deadline.
 * Every outcome, good or failed, becomes a result.
 */
export class ProbeRunner {
  /** Every probe from its first lease request to its last release, with its end. */
  private readonly running = new Map<AbortController, { job: ProbeJob; done: Promise<unknown> }>();

  constructor(
    private readonly runtime: AgentRuntime,
    private readonly leases: SensorLeases,
    private readonly publish: (result: MeasurementResult) => void,
    private readonly reservations: ManualReservations,
  ) {}

  /**
   * Stops the probes `which` selects (default: all), also those still taking their leases,
   * and resolves once each has released them: a run that stops must not leave leases
   * held under the next one.
   */
  cancel(which: (job: ProbeJob) => boolean = () => true): Promise<void> {
    const ending: Promise<unknown>[] = [];
    for (const [abort, { job, done }] of this.running) {
      if (!which(job)) continue;
      abort.abort();
      ending.push(done);
    }
    return Promise.allSettled(ending).then(() => undefined);
  }

  /**
   * Both leases or none. Fails fast: a scheduled probe never waits (its machine decides
   * what next), and a manual one retries by calling again, so nobody waits while holding.
   */
  async acquire(job: ProbeJob): Promise<ProbeLeases | MeasurementError> {
    const { node } = this.runtime.config;
    // A scheduled probe gives way to a manual request waiting for either node.
    if (job.algorithm !== 'manual') {
      const wanted = await this.reservations.wantedBy([job.sensor, node]);
      if (wanted !== null)
        return new MeasurementError(
          'reserved',
          `a manual measurement waits for ${job.sensor} or ${node}`,
        );
    }
    const ttl = Math.max(1, job.deadline - Date.now());
    const sensor = await this.leases.acquire(job.sensor, job.holder, ttl);
    if (!sensor)
      return new MeasurementError(
        'lease-held',
        `the lease on ${job.sensor} is held by another measurement`,
      );
    const own = await this.leases.acquire(node, job.holder, ttl).catch(async (error: unknown) => {
      await this.leases.release(sensor).catch(() => false);
      throw error;
    });
    if (!own) {
      await this.leases.release(sensor).catch(() => false);
      return new MeasurementError('monitor-busy', `${node} itself is in another measurement`);
    }
    return { sensor, own };
  }

  /** Acquires and measures; a lease refused becomes a failed result like any failure. */
  run(job: ProbeJob): Promise<MeasurementResult> {
    return this.tracked(job, async (abort) => {
      const startedAtMs = Date.now();
      let acquired: ProbeLeases | MeasurementError;
      try {
        acquired = await this.acquire(job);
      } catch (error) {
        acquired = asMeasurementError(error);
      }
      if (!(acquired instanceof MeasurementError) && abort.signal.aborted) {
        await this.release(acquired);
        acquired = new MeasurementError('cancelled', 'the run stopped before the probe began');
      }
      if (acquired instanceof MeasurementError)
        return this.finish(job, null, startedAtMs, null, null, acquired);
      // The measurement starts once both leases are held (see `measure`).
      return this.measureWith(job, acquired, abort);
    });
  }

  /** Measures under leases already held, and releases them. */
  measure(job: ProbeJob, leases: ProbeLeases): Promise<MeasurementResult> {
    return this.tracked(job, (abort) => this.measureWith(job, leases, abort));
  }

  private async tracked(
    job: ProbeJob,
    work: (abort: AbortController) => Promise<MeasurementResult>,
  ): Promise<MeasurementResult> {
    const abort = new AbortController();
    const done = work(abort);
    this.running.set(abort, { job, done });
    try {
      return await done;
    } finally {
      this.running.delete(abort);
    }
  }

  private async release(leases: ProbeLeases): Promise<void> {
    await this.leases.release(leases.sensor).catch(() => false);
    await this.leases.release(leases.own).catch(() => false);
  }

  private async measureWith(
    job: ProbeJob,
    leases: ProbeLeases,
    abort: AbortController,
  ): Promise<MeasurementResult> {
    const { config } = this.runtime;
    const startedAtMs = Date.now();
    let serverStarted = false;
    let ping: PingResult | null = null;
    let iperf: IperfResult | null = null;
    let failure: MeasurementError | null = null;
    let endedAtMs: number;
    try {
      const server = await this.startServer(job, leases.sensor);
      serverStarted = true;
      ping = await this.ping(server.host, job.deadline, abort.signal);
      iperf = await runIperfClient({
        host: server.host,
        port: server.port,
        seconds: config.probe.seconds,
        protocol: job.protocol,
        udpBitrate: job.protocol === 'udp' ? config.probe.udpBitrate : undefined,
        bindAddress: config.address,
        timeoutMs: Math.max(1, job.deadline - Date.now() - CLEANUP_MARGIN_MS),
        signal: abort.signal,
      });
    } catch (error) {
      failure = asMeasurementError(error);
    } finally {
      if (serverStarted) await this.stopServer(job);
      // Start and end are taken while both leases are held, so a result's interval lies
      // inside them: an outside check (checkConflicts) never sees an overlap the leases
      // ruled out just because a release or an acquire took a round trip.
      endedAtMs = Date.now();
      await this.release(leases);
    }
    return this.finish(job, leases.sensor, startedAtMs, ping, iperf, failure, endedAtMs);
  }

  private finish(
    job: ProbeJob,
    lease: Lease | null,
    startedAtMs: number,
    ping: PingResult | null,
    iperf: IperfResult | null,
    failure: MeasurementError | null,
    endedAtMs = Date.now(),
  ): MeasurementResult {
    const { config, events, subjects } = this.runtime;
    if (failure) {
      events.publish({
        type: 'probe-failed',
        monitor: config.node,
        sensor: job.sensor,
        measurementId: job.measurementId,
        code: failure.code,
        message: failure.message,
      });
    }
    const result = measurementResult({
      cluster: subjects.cluster,
      monitor: config.node,
      job,
      probe: config.probe,
      fencingToken: lease?.token ?? 0,
      startedAtMs,
      endedAtMs,
      ping,
      iperf,
      failure,
    });
    this.publish(result);
    return result;
  }

  private async startServer(job: ProbeJob, lease: Lease): Promise<{ host: string; port: number }> {
    const { config, connection, subjects } = this.runtime;
    const request: ServerStartRequest = {
      v: 1,
      measurementId: job.measurementId,
      monitor: config.node,
      fencingToken: lease.token,
      leaseHolder: lease.holder,
      protocol: job.protocol,
      seconds: config.probe.seconds,
    };
    let replyData: Uint8Array;
    try {
      const reply = await connection.request(
        subjects.serverStart(job.sensor),
        encodeServerStartRequest(request),
        { timeout: Math.min(SERVER_REQUEST_TIMEOUT_MS, Math.max(1, job.deadline - Date.now())) },
      );
      replyData = reply.data;
    } catch (error) {
      throw new MeasurementError(
        'sensor-unreachable',
        `server start on ${job.sensor}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const decoded = decodeServerStartReply(replyData);
    if (!decoded.ok) {
      throw new MeasurementError(
        'bad-reply',
        `server start on ${job.sensor}: ${decoded.problems.map((p) => `${p.field}: ${p.rule}`).join('; ')}`,
      );
    }
    const reply = decoded.value;
    if (!reply.ok)
      throw new MeasurementError(
        reply.error.code,
        `server start on ${job.sensor}: ${reply.error.message}`,
      );
    return { host: reply.host, port: reply.port };
  }

  /**
   * Asks the sensor to stop its server, waiting at most until just before the lease ends:
   * the measurement's end is taken after this, and must lie inside the lease. A sensor cut
   * off from us (the fault suite found this) would otherwise keep us waiting past it.
   */
  private async stopServer(job: ProbeJob): Promise<void> {
    const { connection, subjects } = this.runtime;
    const timeout = Math.max(1, Math.min(1000, job.deadline - Date.now() - RELEASE_MARGIN_MS));
    try {
      await connection.request(
        subjects.serverStop(job.sensor),
        encodeServerStopRequest({ v: 1, measurementId: job.measurementId }),
        { timeout },
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
}

function asMeasurementError(error: unknown): MeasurementError {
  if (error instanceof MeasurementError) return error;
  if (error instanceof ProbeError)
    return new MeasurementError(`${error.tool}-${error.code}`, error.message);
  return new MeasurementError('failed', error instanceof Error ? error.message : String(error));
}
