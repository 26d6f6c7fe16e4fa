import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type Consumer,
  type ConsumerConfig,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

const NANOS_PER_MS = 1_000_000;

export interface DurableOptions {
  readonly durable: string;
  readonly ackWaitMs: number;
  readonly batchSize: number;
}

/**
 * The sink's durable pull consumer on a stream, created on first start and kept across
 * restarts (JetStream remembers what was acknowledged). Explicit acks: a message is
 * acknowledged on its own, after its points are stored, so two sinks on the same durable
 * would still each store what they acknowledge.
 */
export async function durableConsumer(
  connection: NatsConnection,
  stream: string,
  options: DurableOptions,
): Promise<Consumer> {
  const manager = await jetstreamManager(connection);
  const settings: Partial<ConsumerConfig> = {
    ack_wait: options.ackWaitMs * NANOS_PER_MS,
    // Room for a full batch plus one being redelivered; the default (1000) would cap batches.
    max_ack_pending: Math.max(1000, options.batchSize * 2),
  };
  const existing = await manager.consumers.info(stream, options.durable).then(
    () => true,
    () => false,
  );
  if (existing) {
    await manager.consumers.update(stream, options.durable, settings);
  } else {
    await manager.consumers
      .add(stream, {
        ...settings,
        durable_name: options.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
      })
      .catch(async (error: unknown) => {
        // Another sink created it at the same moment: use theirs.
        await manager.consumers.info(stream, options.durable).catch(() => {
          throw error;
        });
      });
  }
  return jetstream(connection).consumers.get(stream, options.durable);
}
