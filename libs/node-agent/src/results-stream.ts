import { jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Subjects } from '@meshmon/contracts';

const NANOS_PER_MS = 1_000_000;

/**
 * Creates the results stream if it does not exist yet. Every monitor and the sink call
 * this, so whichever starts first creates it; a racing second `add` with the same
 * settings is harmless. Results are kept on disk for a week; the message id of a
 * measurement deduplicates re-sends within ten minutes.
 */
export async function ensureResultsStream(
  connection: NatsConnection,
  subjects: Subjects,
): Promise<string> {
  const manager = await jetstreamManager(connection);
  const name = subjects.resultsStream;
  try {
    await manager.streams.info(name);
    return name;
  } catch {
    // Missing: create it below.
  }
  const config: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: [subjects.resultsWildcard],
    storage: 'file' as StreamConfig['storage'],
    max_age: 7 * 24 * 3600 * 1000 * NANOS_PER_MS,
    duplicate_window: 10 * 60 * 1000 * NANOS_PER_MS,
  };
  try {
    await manager.streams.add(config);
  } catch (error) {
    // Another service created it in the meantime.
    await manager.streams.info(name).catch(() => {
      throw error;
    });
  }
  return name;
}
