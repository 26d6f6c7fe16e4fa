import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/transport-node';
import {
  decodeErrorEventMessage,
  decodeFlowMap,
  decodeMeasurementResult,
  decodeSchedulerEventMessage,
} from '@meshmon/contracts';
import { EventHub } from '../events/event-hub.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { FlowView } from './flow-view.js';
import { LiveView } from './live-view.js';
import { RecentIds } from './recent-ids.js';

/** How far back the view is rebuilt from the streams at start. */
export const REPLAY_WINDOW_MS = 3600_000;
/** Replay stops at whichever comes first: these many messages per stream, or this long. */
const REPLAY_MAX_MESSAGES = 200_000;
const REPLAY_MAX_MS = 15_000;

type Source = 'live' | 'replay';

/** What a core message and a JetStream message have in common. */
interface Incoming {
  readonly subject: string;
  readonly data: Uint8Array;
  string(): string;
}

/**
 * Feeds the live view. The core subscriptions start first, then the last hour is replayed
 * from the JetStream streams (when they exist) with an ordered consumer: live and
 * replayed messages may interleave, which the view tolerates (it never moves a time
 * backwards), and a result seen both ways counts once (by measurementId).
 */
@Injectable()
export class ViewFeeder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ViewFeeder.name);
  private readonly subscriptions: Subscription[] = [];
  private readonly seenResults = new RecentIds(20_000);
  private readonly stopReplay = new AbortController();
  private replayDone: Promise<void> = Promise.resolve();

  constructor(
    @Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime,
    @Inject(LiveView) private readonly view: LiveView,
    @Inject(FlowView) private readonly flowView: FlowView,
    @Inject(EventHub) private readonly hub: EventHub,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const { nats, subjects } = this.runtime;
    this.subscriptions.push(
      nats.subscribe(subjects.eventsWildcard, { callback: (_e, msg) => this.onEvent(msg, 'live') }),
      nats.subscribe(subjects.resultsWildcard, {
        callback: (_e, msg) => this.onResult(msg, 'live'),
      }),
      nats.subscribe(subjects.flowsWildcard, { callback: (_e, msg) => this.onFlows(msg) }),
    );
    // In the background: the API answers (with what it knows so far) while history loads.
    this.replayDone = this.replay().catch((error: unknown) => {
      this.logger.warn(`history replay stopped: ${String(error)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopReplay.abort();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.replayDone;
  }

  /** Resolves when the start-up replay has finished (tests and the benchmark wait on it). */
  whenReplayed(): Promise<void> {
    return this.replayDone;
  }

  private onEvent(msg: Incoming, source: Source): void {
    if (msg.subject === this.runtime.subjects.errorEvents) {
      const decoded = decodeErrorEventMessage(msg.data);
      this.metrics.natsMessages.inc({ kind: 'error', outcome: decoded.ok ? 'ok' : 'invalid' });
      if (!decoded.ok || decoded.value.cluster !== this.runtime.subjects.cluster) return;
      this.view.applyError(decoded.value);
      if (source === 'live') this.hub.publish({ type: 'error', json: msg.string() });
      return;
    }
    const decoded = decodeSchedulerEventMessage(msg.data);
    this.metrics.natsMessages.inc({ kind: 'event', outcome: decoded.ok ? 'ok' : 'invalid' });
    if (!decoded.ok || decoded.value.cluster !== this.runtime.subjects.cluster) return;
    this.view.applyEvent(decoded.value);
    if (source === 'live') this.hub.publish({ type: decoded.value.event.type, json: msg.string() });
  }

  /** A node's flow map: what its applications exchange with other nodes (passive). */
  private onFlows(msg: Incoming): void {
    const decoded = decodeFlowMap(msg.data);
    this.metrics.natsMessages.inc({ kind: 'flows', outcome: decoded.ok ? 'ok' : 'invalid' });
    if (!decoded.ok || decoded.value.cluster !== this.runtime.subjects.cluster) return;
    this.flowView.apply(decoded.value);
  }

  private onResult(msg: Incoming, source: Source): void {
    const decoded = decodeMeasurementResult(msg.data);
    this.metrics.natsMessages.inc({ kind: 'result', outcome: decoded.ok ? 'ok' : 'invalid' });
    if (!decoded.ok || decoded.value.cluster !== this.runtime.subjects.cluster) return;
    if (!this.seenResults.add(decoded.value.measurementId)) return;
    this.view.applyResult(decoded.value);
    if (source === 'live') this.hub.publish({ type: 'result', json: msg.string() });
  }

  private async replay(): Promise<void> {
    const { nats, subjects } = this.runtime;
    const manager = await jetstreamManager(nats);
    const since = new Date(Date.now() - REPLAY_WINDOW_MS).toISOString();
    const deadline = Date.now() + REPLAY_MAX_MS;
    const streams = [
      { name: subjects.eventsStream, handle: (msg: Incoming) => this.onEvent(msg, 'replay') },
      { name: subjects.resultsStream, handle: (msg: Incoming) => this.onResult(msg, 'replay') },
    ];
    for (const { name, handle } of streams) {
      const info = await manager.streams.info(name).catch(() => null);
      if (info === null || info.state.messages === 0) continue;
      const lastSeq = info.state.last_seq;
      const consumer = await jetstream(nats).consumers.get(name, {
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: since,
      });
      let count = 0;
      // Fetch in batches until the stream's end as it was when we looked, or a bound hits.
      while (
        count < REPLAY_MAX_MESSAGES &&
        Date.now() < deadline &&
        !this.stopReplay.signal.aborted
      ) {
        const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
        let got = 0;
        let reachedEnd = false;
        for await (const msg of batch) {
          got += 1;
          handle(msg);
          if (msg.seq >= lastSeq || msg.info.pending === 0) reachedEnd = true;
        }
        count += got;
        if (got === 0 || reachedEnd) break;
      }
      await consumer.delete().catch(() => undefined);
      this.logger.log(`replayed ${count} messages of ${name} since ${since}`);
    }
  }
}
