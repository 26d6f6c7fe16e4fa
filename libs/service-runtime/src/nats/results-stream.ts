import { jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Subjects } from '@meshmon/contracts';

const NANOS_PER_MS = 1_000_000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * NATS refused to create a stream Meshmon needs (e.g. JetStream has less room than the
 * stream reserves): a server setting to fix, not a bug.
 */
export class StreamSetupError extends Error {
  override readonly name = 'StreamSetupError';
}

/**
 * Creates a stream if it does not exist yet. Every service that publishes into it (and
 * the sink that reads it) calls this, so whichever starts first creates it; a racing
 * second `add` with the same settings is harmless.
 */
export async function ensureStream(
  connection: NatsConnection,
  config: Partial<StreamConfig> & { name: string },
): Promise<string> {
  const manager = await jetstreamManager(connection);
  try {
    await manager.streams.info(config.name);
    return config.name;
  } catch {
    // Missing: create it below.
  }
  try {
    await manager.streams.add(config);
  } catch (error) {
    // Another service created it in the meantime; anything else is the server's refusal.
    await manager.streams.info(config.name).catch(() => {
      const why = error instanceof Error ? error.message : String(error);
      throw new StreamSetupError(
        `NATS at ${connection.getServer()} refused to create stream ${config.name}: ${why} ` +
          '(check its JetStream limits, e.g. max_file_store)',
        { cause: error },
      );
    });
  }
  return config.name;
}

/**
 * The results stream: on disk for a week; the message id of a measurement deduplicates
 * re-sends within ten minutes.
 */
export function ensureResultsStream(
  connection: NatsConnection,
  subjects: Subjects,
): Promise<string> {
  return ensureStream(connection, {
    name: subjects.resultsStream,
    subjects: [subjects.resultsWildcard],
    storage: 'file' as StreamConfig['storage'],
    max_age: 7 * DAY_MS * NANOS_PER_MS,
    duplicate_window: 10 * 60 * 1000 * NANOS_PER_MS,
  });
}

/** How long the events stream keeps an event unless told (MESHMON_EVENTS_RETENTION_HOURS). */
export const DEFAULT_EVENTS_RETENTION_HOURS = 24;

/**
 * The events stream: every `events.>` message (published with a plain NATS publish, which
 * JetStream captures) kept on disk for `retentionHours` (a day by default) and at most
 * 1 GiB, so the result sink can store them in InfluxDB without losing any while it or
 * InfluxDB is down. A stream that exists with another age gets this one: the setting is
 * the sink's, and changing it must take effect.
 */
export async function ensureEventsStream(
  connection: NatsConnection,
  subjects: Subjects,
  retentionHours = DEFAULT_EVENTS_RETENTION_HOURS,
): Promise<string> {
  const maxAge = retentionHours * 3600 * 1000 * NANOS_PER_MS;
  const name = await ensureStream(connection, {
    name: subjects.eventsStream,
    subjects: [subjects.eventsWildcard],
    storage: 'file' as StreamConfig['storage'],
    max_age: maxAge,
    max_bytes: 1024 ** 3,
    discard: 'old' as StreamConfig['discard'],
  });
  const manager = await jetstreamManager(connection);
  const { config } = await manager.streams.info(name);
  if (config.max_age !== maxAge) await manager.streams.update(name, { ...config, max_age: maxAge });
  return name;
}

/**
 * The samples stream: every service's resource samples (and the daemons', from the compare
 * command's host sampler), on disk for a day and at most 256 MiB, until the result sink has
 * stored them; the sample id deduplicates re-sends within ten minutes.
 */
export function ensureSamplesStream(
  connection: NatsConnection,
  subjects: Subjects,
): Promise<string> {
  return ensureStream(connection, {
    name: subjects.samplesStream,
    subjects: [subjects.samplesWildcard],
    storage: 'file' as StreamConfig['storage'],
    max_age: DAY_MS * NANOS_PER_MS,
    max_bytes: 256 * 1024 ** 2,
    discard: 'old' as StreamConfig['discard'],
    duplicate_window: 10 * 60 * 1000 * NANOS_PER_MS,
  });
}
