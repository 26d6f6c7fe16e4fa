import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  CONTRACT_VERSION,
  encodeMeasurementResult,
  encodeSchedulerEventMessage,
  Subjects,
  type MeasurementResult,
  type ServiceEvent,
  type ServiceName,
} from '@meshmon/contracts';

const PROBE_MS = 2000;

/**
 * A "running lab" made of messages only: what a real cluster's services publish on NATS
 * (service-started, scheduler-started, role-switched, slot-granted, results), encoded
 * with the contracts so the gateway decodes them as it would a real cluster's. Core
 * publishes reach the gateway's live subscriptions; no JetStream stream is needed.
 */
export class ClusterFeed {
  /** Every result published so far, oldest first (what the dashboard checks compare to). */
  readonly results: MeasurementResult[] = [];
  private fencingToken = 0;

  constructor(
    private readonly nats: NatsConnection,
    readonly subjects: Subjects,
    readonly runId = randomUUID().slice(0, 8),
  ) {}

  /** Every node's services start, the scheduler run starts, and the nodes take roles. */
  async start(roles: Readonly<Record<string, 'monitor' | 'sensor'>>): Promise<void> {
    const services: ServiceName[] = ['controller', 'sensor', 'monitor'];
    for (const node of Object.keys(roles)) {
      for (const service of services) this.event(node, service, { type: 'service-started' });
    }
    for (const node of Object.keys(roles)) {
      this.event(node, 'controller', {
        type: 'scheduler-started',
        runId: this.runId,
        algorithm: 'cps',
      });
    }
    await this.switchRoles(roles);
  }

  /** The controllers report their nodes' new roles. */
  async switchRoles(roles: Readonly<Record<string, 'monitor' | 'sensor'>>): Promise<void> {
    for (const [node, role] of Object.entries(roles)) {
      this.event(node, 'controller', { type: 'role-switched', node, role });
    }
    await this.nats.flush();
  }

  /** A granted slot and its successful measurement, as the sensor and the monitor report them. */
  async measured(
    monitor: string,
    sensor: string,
    figures: { readonly mbps: number; readonly rttMs: number },
  ): Promise<MeasurementResult> {
    this.fencingToken += 1;
    const fencingToken = this.fencingToken;
    this.event(sensor, 'sensor', { type: 'slot-granted', sensor, monitor, fencingToken });
    const endedAtMs = Date.now();
    const result: MeasurementResult = {
      v: CONTRACT_VERSION,
      measurementId: randomUUID(),
      cluster: this.subjects.cluster,
      monitor,
      sensor,
      algorithm: 'cps',
      tool: 'iperf3-tcp',
      startedAtMs: endedAtMs - PROBE_MS,
      endedAtMs,
      parameters: { seconds: PROBE_MS / 1000, protocol: 'tcp' },
      ok: true,
      fencingToken,
      throughput: {
        bitsPerSecond: figures.mbps * 1e6,
        bytes: Math.round((figures.mbps * 1e6 * PROBE_MS) / 8000),
        retransmits: 0,
        jitterMs: null,
        lostPercent: null,
      },
      rtt: {
        minMs: figures.rttMs * 0.8,
        avgMs: figures.rttMs,
        maxMs: figures.rttMs * 1.3,
        mdevMs: 0.01,
        lossPercent: 0,
      },
      cpu: { clientPercent: 12.5, serverPercent: 20 },
    };
    this.nats.publish(this.subjects.result(monitor, sensor), encodeMeasurementResult(result));
    await this.nats.flush();
    this.results.push(result);
    return result;
  }

  private event(node: string, service: ServiceName, event: ServiceEvent): void {
    const body = encodeSchedulerEventMessage({
      v: CONTRACT_VERSION,
      cluster: this.subjects.cluster,
      node,
      service,
      atMs: Date.now(),
      event,
    });
    this.nats.publish(this.subjects.event(event.type), body);
  }
}
