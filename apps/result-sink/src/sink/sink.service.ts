import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { encodeSinkStats, type SinkStats } from '@meshmon/contracts';
import { InfluxStore, shownInfluxUrl } from '@meshmon/influx-store';
import {
  ensureEventsStream,
  ensureResultsStream,
  ensureSamplesStream,
} from '@meshmon/service-runtime';
import { DeadLetters } from './dead-letters.js';
import { MessageDecoder, STREAM_KINDS, type StreamKind } from './message-decoder.js';
import { sinkStats, StoreHealth, StreamCounters } from './sink-counters.js';
import { durableConsumer } from './sink-consumers.js';
import { SINK_RUNTIME, type SinkRuntime } from './sink-runtime.js';
import { StoreOutage } from './store-outage.js';
import { StreamPump } from './stream-pump.js';

/** Short, so a sink with little traffic stores within a second; a full batch returns at once. */
const FETCH_EXPIRES_MS = 1000;

/**
 * The result sink: one pump per stream (results, events, samples) into InfluxDB, a dead-letter
 * stream for what they refuse, and the `sink.stats` responder. Starts consuming at once,
 * whether InfluxDB is up or not: the pumps retry their first write until it is.
 */
@Injectable()
export class SinkService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SinkService.name);
  private readonly stop = new AbortController();
  private readonly health = new StoreHealth();
  private readonly store: InfluxStore;
  private readonly deadLetters: DeadLetters;
  private readonly counters: Record<StreamKind, StreamCounters>;
  private pumping: Promise<unknown> | null = null;
  private statsSubscription: Subscription | null = null;

  constructor(@Inject(SINK_RUNTIME) private readonly runtime: SinkRuntime) {
    const { influx } = runtime.config;
    this.store = new InfluxStore(influx);
    this.deadLetters = new DeadLetters(runtime.connection, runtime.subjects);
    this.counters = {
      results: new StreamCounters(runtime.subjects.resultsStream),
      events: new StreamCounters(runtime.subjects.eventsStream),
      samples: new StreamCounters(runtime.subjects.samplesStream),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { connection, subjects, config } = this.runtime;
    // Whoever starts first creates the streams; the sink may well start before any monitor.
    await ensureResultsStream(connection, subjects);
    await ensureEventsStream(connection, subjects, config.eventsRetentionHours);
    await ensureSamplesStream(connection, subjects);
    await this.deadLetters.ensureStream();
    const outage = new StoreOutage(this.health, (message) =>
      this.runtime.events.error({
        subject: subjects.resultsWildcard,
        code: 'influx-unavailable',
        message,
      }),
    );
    const decoder = new MessageDecoder(subjects, { orchestrator: config.orchestrator });
    const pumps: StreamPump[] = [];
    for (const kind of STREAM_KINDS) {
      const stream = this.counters[kind].stream;
      const consumer = await durableConsumer(connection, stream, config);
      const options = {
        kind,
        stream,
        batchSize: config.batchSize,
        ackWaitMs: config.ackWaitMs,
        fetchExpiresMs: FETCH_EXPIRES_MS,
        writeConcurrency: config.writeConcurrency,
      };
      pumps.push(
        new StreamPump(
          consumer,
          options,
          decoder,
          this.store,
          this.deadLetters,
          this.counters[kind],
          outage,
        ),
      );
    }
    this.statsSubscription = connection.subscribe(subjects.sinkStats, {
      queue: 'result-sink',
      callback: (_error, message) => {
        message.respond(encodeSinkStats(this.stats()));
      },
    });
    this.pumping = Promise.all(pumps.map((pump) => pump.run(this.stop.signal)));
    this.logger.log(
      `storing ${subjects.resultsStream}, ${subjects.eventsStream} and ${subjects.samplesStream} into ${shownInfluxUrl(config.influx.url)} database ${config.influx.database} (batch ${config.batchSize})`,
    );
  }

  /** Stops fetching; a batch not yet stored goes back to JetStream unacknowledged. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.pumping;
    this.statsSubscription?.unsubscribe();
  }

  /** InfluxDB answers its ping now (for readiness; the pumps keep their own account). */
  async storeAnswers(timeoutMs: number): Promise<void> {
    if (!(await this.store.ping(timeoutMs))) throw new Error('ping failed');
  }

  stats(): SinkStats {
    const { config } = this.runtime;
    const identity = { cluster: config.cluster, sink: config.name };
    return sinkStats(identity, this.health, this.counters, Date.now());
  }
}
