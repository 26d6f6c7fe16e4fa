import type { SinkCounters, SinkStats, SinkStreamStats } from '@meshmon/contracts';

/** One stream's counters since the sink started (plain fields: the pump adds to them). */
export class StreamCounters implements SinkCounters {
  received = 0;
  stored = 0;
  deadLettered = 0;
  retries = 0;
  batches = 0;

  constructor(readonly stream: string) {}

  snapshot(): SinkStreamStats {
    const { stream, received, stored, deadLettered, retries, batches } = this;
    return { stream, received, stored, deadLettered, retries, batches };
  }
}

/** Whether InfluxDB took the last write, and the last failure seen (shared by the pumps). */
export class StoreHealth {
  influxUp = false;
  lastError: string | null = null;
}

/** The `sink.stats` answer: totals over the streams plus each stream's own. */
export function sinkStats(
  identity: { cluster: string; sink: string },
  health: StoreHealth,
  streams: { results: StreamCounters; events: StreamCounters; samples: StreamCounters },
  atMs: number,
): SinkStats {
  const { results, events, samples } = streams;
  const sum = (key: keyof SinkCounters): number => results[key] + events[key] + samples[key];
  return {
    v: 1,
    cluster: identity.cluster,
    sink: identity.sink,
    atMs,
    influxUp: health.influxUp,
    lastError: health.lastError === null ? null : health.lastError.slice(0, 2000) || null,
    received: sum('received'),
    stored: sum('stored'),
    deadLettered: sum('deadLettered'),
    retries: sum('retries'),
    batches: sum('batches'),
    results: results.snapshot(),
    events: events.snapshot(),
    samples: samples.snapshot(),
  };
}
