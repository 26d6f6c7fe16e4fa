import type { NatsConnection } from '@nats-io/transport-node';
import {
  encodeResourceSample,
  type Orchestrator,
  type ResourceSample,
  type SampledService,
  type Subjects,
} from '@meshmon/contracts';
import type { EventPublisher } from '../event-publisher.js';
import { JetStreamOutbox } from '../nats/jetstream-outbox.js';
import { ensureSamplesStream } from '../nats/results-stream.js';
import { SelfSampler } from './self-sampler.js';

/** An hour of samples at the default 5 s wait for JetStream; older ones give way. */
const SAMPLE_OUTBOX_LIMIT = 720;

export interface ServiceSampling {
  /** No more samples. */
  stop(): void;
  /** Tries to get the waiting samples out, for at most `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/** Gets samples of one service on one node to the samples stream, at least once and in order. */
export interface SamplePublisher {
  publish(sample: ResourceSample): void;
  /** Tries to get the waiting samples out, for at most `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * The one way samples are published, by a service's self-sampler and by the compare
 * command's host sampler alike: an outbox with the sample id as message id (the stream
 * drops a repeat), an hour's worth waiting at the default interval at most.
 */
export function samplePublisher(
  connection: NatsConnection,
  errors: Pick<EventPublisher, 'error'>,
  subjects: Subjects,
  origin: { readonly service: SampledService; readonly node: string; readonly retryMs?: number },
): SamplePublisher {
  const outbox = new JetStreamOutbox(connection, errors, {
    what: 'sample',
    wildcard: subjects.samplesWildcard,
    limit: SAMPLE_OUTBOX_LIMIT,
    retryMs: origin.retryMs,
  });
  const subject = subjects.samples(origin.service, origin.node);
  return {
    publish: (sample) =>
      outbox.add({ subject, msgId: sample.sampleId, encode: () => encodeResourceSample(sample) }),
    drain: (timeoutMs) => outbox.drain(timeoutMs),
  };
}

export interface SamplingTarget {
  readonly service: SampledService;
  readonly node: string;
  readonly run: string;
  readonly orchestrator: Orchestrator;
  readonly intervalMs: number;
}

/**
 * Starts a service's self-sampler: the samples stream made sure of first (whoever starts
 * first creates it), then a sample at once and every interval, published through
 * `samplePublisher`.
 */
export function startServiceSampling(
  target: SamplingTarget,
  connection: NatsConnection,
  subjects: Subjects,
  events: EventPublisher,
): ServiceSampling {
  const publisher = samplePublisher(connection, events, subjects, {
    service: target.service,
    node: target.node,
    retryMs: target.intervalMs,
  });
  const subject = subjects.samples(target.service, target.node);
  const sampler = new SelfSampler({
    identity: {
      cluster: subjects.cluster,
      run: target.run,
      orchestrator: target.orchestrator,
      service: target.service,
      node: target.node,
    },
    intervalMs: target.intervalMs,
    publish: publisher.publish,
    onError: (error) =>
      events.error({
        subject,
        code: 'sampling-failed',
        message: error instanceof Error ? error.message : String(error),
      }),
  });
  let stopped = false;
  void ensureSamplesStream(connection, subjects)
    .catch((error: unknown) =>
      // The outbox keeps retrying: the stream may still be made (by the sink, say).
      events.error({
        subject: subjects.samplesWildcard,
        code: 'stream-setup-failed',
        message: error instanceof Error ? error.message : String(error),
      }),
    )
    .finally(() => {
      if (!stopped) sampler.start();
    });
  return {
    stop: () => {
      stopped = true;
      sampler.stop();
    },
    drain: publisher.drain,
  };
}
