/**
 * Every NATS subject (and the JetStream stream and Redis prefix) Meshmon uses, built in
 * one place from the cluster name so that no subject literal appears anywhere else.
 * A class rather than an `as const` object because every name depends on the cluster.
 *
 *   meshmon.<c>.v1.node.<node>.<module>.<type>       scheduler message to one module
 *   meshmon.<c>.v1.all.<module>.<type>               scheduler broadcast to that module
 *   meshmon.<c>.v1.node.<sensor>.sensor.server.start iperf3 server control (request-reply)
 *   meshmon.<c>.v1.results.<monitor>.<sensor>        finished measurements (JetStream)
 *   meshmon.<c>.v1.events.<type>                     events; `events.error` for errors
 *   meshmon.<c>.v1.node.<monitor>.monitor.measure    a measurement now (request-reply)
 *   meshmon.<c>.v1.control.scheduler                 start / stop a scheduler run, all services
 *   meshmon.<c>.v1.control.intents                   the hand-made intents changed
 *   meshmon.<c>.v1.flows.<node>                      a node's flow map (flow discovery)
 *   meshmon.<c>.v1.sink.dead-letter                  messages the result sink refused
 *   meshmon.<c>.v1.sink.stats                        the sink's counters (request-reply)
 *   meshmon.<c>.v1.samples.<service>.<node>          resource samples (JetStream)
 *
 * A sensor's subscription `…node.<sensor>.sensor.>` receives both its scheduler messages
 * and the server control requests; `parse` tells them apart (by token count: server
 * subjects have one more token, and no message type is called `server`).
 */
import type { ModuleKind } from '@meshmon/scheduling';
import { RedisKeys } from './redis-keys.js';
import {
  assertClusterName,
  assertNodeName,
  InvalidNameError,
  isNodeName,
  MODULE_KINDS,
} from './names.js';
import {
  isSchedulerMessageType,
  SCHEDULER_MESSAGE_TYPES,
  type SchedulerMessageType,
} from './scheduler/scheduler-message-classes.js';
import { SERVICE_EVENT_TYPES, type ServiceEventType } from './events/service-event.dto.js';
import { SAMPLED_SERVICES, type SampledService } from './samples/resource-sample.dto.js';

export type ServerAction = 'start' | 'stop';
/** What may follow `events.`: a ServiceEvent type or `error`. */
export type EventSubjectType = ServiceEventType | 'error';

export type ParsedSubject =
  | {
      readonly kind: 'scheduler';
      readonly node: string;
      readonly module: ModuleKind;
      readonly type: SchedulerMessageType;
    }
  | { readonly kind: 'broadcast'; readonly module: ModuleKind; readonly type: SchedulerMessageType }
  | { readonly kind: 'server'; readonly sensor: string; readonly action: ServerAction }
  | { readonly kind: 'result'; readonly monitor: string; readonly sensor: string }
  | { readonly kind: 'event'; readonly type: EventSubjectType }
  | { readonly kind: 'measure'; readonly monitor: string }
  | { readonly kind: 'control'; readonly what: ControlTopic }
  | { readonly kind: 'flows'; readonly node: string }
  | { readonly kind: 'sink'; readonly what: SinkTopic }
  | { readonly kind: 'sample'; readonly service: SampledService; readonly node: string };

export type ControlTopic = 'scheduler' | 'intents';

/** The result sink's durable consumer on its streams, unless MESHMON_SINK_DURABLE says otherwise. */
export const DEFAULT_SINK_DURABLE = 'result-sink';
export type SinkTopic = 'dead-letter' | 'stats';

const isModuleKind = (value: unknown): value is ModuleKind =>
  typeof value === 'string' && (MODULE_KINDS as readonly string[]).includes(value);

const EVENT_SUBJECT_TYPES: readonly string[] = [...SERVICE_EVENT_TYPES, 'error'];
const isEventSubjectType = (value: string): value is EventSubjectType =>
  EVENT_SUBJECT_TYPES.includes(value);

const isSampledService = (value: unknown): value is SampledService =>
  typeof value === 'string' && (SAMPLED_SERVICES as readonly string[]).includes(value);

function assertModule(value: unknown): ModuleKind {
  if (isModuleKind(value)) return value;
  throw new InvalidNameError({
    field: 'module',
    rule: `must be one of ${MODULE_KINDS.join(', ')}`,
  });
}

function assertMessageType(value: unknown): SchedulerMessageType {
  if (isSchedulerMessageType(value)) return value;
  const rule = `must be one of ${SCHEDULER_MESSAGE_TYPES.join(', ')}`;
  throw new InvalidNameError({ field: 'type', rule });
}

function assertEventType(value: unknown): EventSubjectType {
  if (typeof value === 'string' && isEventSubjectType(value)) return value;
  throw new InvalidNameError({
    field: 'type',
    rule: `must be one of ${EVENT_SUBJECT_TYPES.join(', ')}`,
  });
}

/**
 * Subject builder for one cluster. Every builder validates its arguments and throws
 * InvalidNameError naming the argument (`node`, `sensor`, …), because a name with a dot
 * or a wildcard would silently address something else.
 */
export class Subjects {
  readonly cluster: string;
  /** `meshmon.<cluster>.v1`: every subject of this cluster and version starts with it. */
  readonly prefix: string;
  /** JetStream stream holding this cluster's results. */
  readonly resultsStream: string;
  /** The stream's subject filter, `meshmon.<c>.v1.results.>`. */
  readonly resultsWildcard: string;
  /** Every event, including errors. */
  readonly eventsWildcard: string;
  /** `meshmon.<c>.v1.events.error`. */
  readonly errorEvents: string;
  /** JetStream stream keeping this cluster's events (`events.>`) for the result sink. */
  readonly eventsStream: string;
  /** JetStream stream keeping what the result sink refused (`sink.dead-letter`). */
  readonly deadLetterStream: string;
  /** Cluster-wide scheduler start and stop, for every node service (broadcast). */
  readonly schedulerControl: string;
  /** The hand-made intents changed; controllers re-read them (broadcast). */
  readonly intentsControl: string;
  /** Every node's flow map. */
  readonly flowsWildcard: string;
  /** Where the result sink puts what it refused, with the reason. */
  readonly deadLetter: string;
  /** The result sink answers with its counters here. */
  readonly sinkStats: string;
  /** JetStream stream holding the resource samples (`samples.>`) for the result sink. */
  readonly samplesStream: string;
  readonly samplesWildcard: string;
  /** This cluster's Redis keys, built in one place (redis-keys.ts). */
  readonly redis: RedisKeys;

  constructor(cluster: string) {
    this.cluster = assertClusterName(cluster, 'cluster');
    this.prefix = `meshmon.${cluster}.v1`;
    this.resultsStream = `MESHMON_${cluster.toUpperCase().replaceAll('-', '_')}_RESULTS`;
    this.resultsWildcard = `${this.prefix}.results.>`;
    this.eventsWildcard = `${this.prefix}.events.>`;
    this.errorEvents = `${this.prefix}.events.error`;
    const streamBase = `MESHMON_${cluster.toUpperCase().replaceAll('-', '_')}`;
    this.eventsStream = `${streamBase}_EVENTS`;
    this.deadLetterStream = `${streamBase}_DEAD_LETTERS`;
    this.samplesStream = `${streamBase}_SAMPLES`;
    this.samplesWildcard = `${this.prefix}.samples.>`;
    this.schedulerControl = `${this.prefix}.control.scheduler`;
    this.intentsControl = `${this.prefix}.control.intents`;
    this.flowsWildcard = `${this.prefix}.flows.*`;
    this.deadLetter = `${this.prefix}.sink.dead-letter`;
    this.sinkStats = `${this.prefix}.sink.stats`;
    this.redis = new RedisKeys(cluster);
  }

  /** A measurement now, on this monitor (request-reply). */
  measureRequest(monitor: string): string {
    return `${this.prefix}.node.${assertNodeName(monitor, 'monitor')}.monitor.measure`;
  }

  /** Where a node's flow discovery publishes its flow map. */
  flows(node: string): string {
    return `${this.prefix}.flows.${assertNodeName(node, 'node')}`;
  }

  /** A scheduler message to one module of one node. */
  schedulerMessage(node: string, module: ModuleKind, type: SchedulerMessageType): string {
    return `${this.nodeModule(node, module)}.${assertMessageType(type)}`;
  }

  /** Everything addressed to one module of one node (for a sensor: server control too). */
  moduleWildcard(node: string, module: ModuleKind): string {
    return `${this.nodeModule(node, module)}.>`;
  }

  /** A scheduler message to that module on every node. */
  broadcast(module: ModuleKind, type: SchedulerMessageType): string {
    return `${this.prefix}.all.${assertModule(module)}.${assertMessageType(type)}`;
  }

  broadcastWildcard(module: ModuleKind): string {
    return `${this.prefix}.all.${assertModule(module)}.>`;
  }

  serverStart(sensor: string): string {
    return `${this.prefix}.node.${assertNodeName(sensor, 'sensor')}.sensor.server.start`;
  }

  serverStop(sensor: string): string {
    return `${this.prefix}.node.${assertNodeName(sensor, 'sensor')}.sensor.server.stop`;
  }

  /** Where the monitor publishes a finished measurement of this pair. */
  result(monitor: string, sensor: string): string {
    const monitorName = assertNodeName(monitor, 'monitor');
    return `${this.prefix}.results.${monitorName}.${assertNodeName(sensor, 'sensor')}`;
  }

  /** Where a service (or the daemons' host sampler) publishes its resource samples. */
  samples(service: SampledService, node: string): string {
    if (!isSampledService(service)) {
      const rule = `must be one of ${SAMPLED_SERVICES.join(', ')}`;
      throw new InvalidNameError({ field: 'service', rule });
    }
    return `${this.prefix}.samples.${service}.${assertNodeName(node, 'node')}`;
  }

  /** `events.<type>`; `event('error')` equals `errorEvents`. */
  event(type: EventSubjectType): string {
    return `${this.prefix}.events.${assertEventType(type)}`;
  }

  private nodeModule(node: string, module: ModuleKind): string {
    return `${this.prefix}.node.${assertNodeName(node, 'node')}.${assertModule(module)}`;
  }

  /**
   * What a subject of this cluster means, or null when it is not one of ours (another
   * cluster or version, an unknown type, a malformed name). Never throws.
   */
  parse(subject: string): ParsedSubject | null {
    if (typeof subject !== 'string' || !subject.startsWith(`${this.prefix}.`)) return null;
    const tokens = subject.slice(this.prefix.length + 1).split('.');
    const [area, a, b, c, d] = tokens;
    switch (area) {
      case 'node':
        if (!isNodeName(a) || !isModuleKind(b)) return null;
        if (tokens.length === 4 && isSchedulerMessageType(c)) {
          return { kind: 'scheduler', node: a, module: b, type: c };
        }
        if (tokens.length === 4 && b === 'monitor' && c === 'measure') {
          return { kind: 'measure', monitor: a };
        }
        if (tokens.length === 5 && b === 'sensor' && c === 'server') {
          if (d === 'start' || d === 'stop') return { kind: 'server', sensor: a, action: d };
        }
        return null;
      case 'all':
        return tokens.length === 3 && isModuleKind(a) && isSchedulerMessageType(b)
          ? { kind: 'broadcast', module: a, type: b }
          : null;
      case 'results':
        return tokens.length === 3 && isNodeName(a) && isNodeName(b)
          ? { kind: 'result', monitor: a, sensor: b }
          : null;
      case 'events':
        return tokens.length === 2 && isEventSubjectType(a) ? { kind: 'event', type: a } : null;
      case 'control':
        return tokens.length === 2 && (a === 'scheduler' || a === 'intents')
          ? { kind: 'control', what: a }
          : null;
      case 'flows':
        return tokens.length === 2 && isNodeName(a) ? { kind: 'flows', node: a } : null;
      case 'sink':
        return tokens.length === 2 && (a === 'dead-letter' || a === 'stats')
          ? { kind: 'sink', what: a }
          : null;
      case 'samples':
        return tokens.length === 3 && isSampledService(a) && isNodeName(b)
          ? { kind: 'sample', service: a, node: b }
          : null;
      default:
        return null;
    }
  }
}
