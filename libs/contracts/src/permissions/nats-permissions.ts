/**
 * Who may publish and subscribe what on NATS: one user (an nkey) per service, deny by
 * default. The server's authorization block is generated from this table (see
 * renderNatsAuthorization in the service runtime), so the subjects here are the very ones
 * the services use: every pattern is built with the Subjects builders, never typed out.
 *
 * The patterns hold for any cluster name (`meshmon.*.v1...`), because one server may carry
 * several clusters (the test servers do). JetStream's API names streams in one token
 * (`$JS.API.STREAM.INFO.MESHMON_<C>_RESULTS`), where NATS has no partial wildcards: the
 * stream token is `*` there, and a service's JetStream rights are limited by the calls it
 * may make (a sensor can make no consumer, so it reads no stream).
 *
 * What the table guarantees, each checked in nats-permissions.spec.ts:
 * - only the gateway publishes control (scheduler start/stop, intents) and asks a monitor
 *   to measure now;
 * - only a monitor publishes results, only flow discovery flow maps, and a service only
 *   its own samples;
 * - only a monitor asks a sensor to start or stop its iperf3 server;
 * - every service receives its replies on an inbox of its own (`inboxPrefix`), so no
 *   other user can read them; answers to requests are allowed by `allow_responses`.
 */
import { SERVICE_NAMES, type ServiceName } from '../names.js';
import { Subjects } from '../subjects.js';

/** Every NATS user of a deployment: the six services and a read-only observer. */
export const NATS_ROLES = [...SERVICE_NAMES, 'observer'] as const;
export type NatsRole = (typeof NATS_ROLES)[number];

export const isNatsRole = (value: unknown): value is NatsRole =>
  typeof value === 'string' && (NATS_ROLES as readonly string[]).includes(value);

/** What one user may do, in the shape of nats-server's `permissions` block. */
export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[]; readonly deny: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[]; readonly deny: readonly string[] };
  /** The user may answer the requests it receives (one reply each). */
  readonly allowResponses: boolean;
}

/**
 * The prefix of a role's reply subjects (the client's `inboxPrefix` option). Not under
 * `_INBOX.`, which the NATS CLI uses, so that the observer cannot read a service's replies.
 */
export const inboxPrefixOf = (role: NatsRole): string => `_MESHMON_INBOX.${role}`;

// A real cluster and node name stand in for "any": the builders check their arguments, and
// the placeholders are then turned into wildcards token by token.
const ANY_CLUSTER = 'any-cluster';
const ANY_NODE = 'any-node';
const SAMPLE_STREAM_SUFFIX = '_SAMPLES';
const any = new Subjects(ANY_CLUSTER);

/** A subject of the placeholder cluster as a pattern: placeholders become `*`. */
function pattern(subject: string): string {
  return subject
    .split('.')
    .map((token) => (token === ANY_CLUSTER || token === ANY_NODE ? '*' : token))
    .join('.');
}

/** `…node.<n>.<module>.>` as `…node.*.<module>.*`: that module's scheduler messages only. */
const schedulerMessagesTo = (module: 'controller' | 'sensor' | 'monitor') =>
  pattern(any.moduleWildcard(ANY_NODE, module)).replace(/>$/, '*');

const ALL_SCHEDULER_MESSAGES = ['controller', 'sensor', 'monitor'].map((module) =>
  schedulerMessagesTo(module as 'controller'),
);
const BROADCASTS = pattern(any.broadcastWildcard('controller')).replace('.controller.>', '.*.*');
const MEASURE = pattern(any.measureRequest(ANY_NODE));
const SERVER_CONTROL = [pattern(any.serverStart(ANY_NODE)), pattern(any.serverStop(ANY_NODE))];
const RESULTS = pattern(any.resultsWildcard);
const EVENTS = pattern(any.eventsWildcard);
const SAMPLES = pattern(any.samplesWildcard);
const FLOWS = pattern(any.flowsWildcard);
const CONTROL = [pattern(any.schedulerControl), pattern(any.intentsControl)];
const SINK_STATS = pattern(any.sinkStats);
const DEAD_LETTER = pattern(any.deadLetter);
const ownSamples = (service: ServiceName) => pattern(any.samples(service, ANY_NODE));
if (!any.samplesStream.endsWith(SAMPLE_STREAM_SUFFIX)) throw new Error('stream names changed');

/** JetStream's API: what ensureStream and a JetStream publish need (every service). */
const JS_PUBLISHER = ['$JS.API.INFO', '$JS.API.STREAM.INFO.*', '$JS.API.STREAM.CREATE.*'];
/** What reading a stream through consumers of one's own needs (durable or ordered). */
const JS_READER = [
  '$JS.API.INFO',
  '$JS.API.STREAM.INFO.*',
  '$JS.API.CONSUMER.CREATE.*',
  '$JS.API.CONSUMER.CREATE.*.>',
  '$JS.API.CONSUMER.DURABLE.CREATE.*.*',
  '$JS.API.CONSUMER.INFO.*.*',
  '$JS.API.CONSUMER.MSG.NEXT.*.*',
  '$JS.API.CONSUMER.DELETE.*.*',
];

function permissions(
  role: NatsRole,
  publish: readonly string[],
  subscribe: readonly string[],
  options: { publishDeny?: readonly string[]; allowResponses?: boolean } = {},
): NatsPermissions {
  const inbox = `${inboxPrefixOf(role)}.>`;
  return {
    publish: { allow: unique(publish), deny: unique(options.publishDeny ?? []) },
    subscribe: { allow: unique([...subscribe, inbox]), deny: [] },
    allowResponses: options.allowResponses ?? true,
  };
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** Every service: its events, its own samples, and the JetStream calls publishing needs. */
const serviceBase = (service: ServiceName) => [EVENTS, ownSamples(service), ...JS_PUBLISHER];

/**
 * The node modules talk to each other's modules (scheduler messages, broadcasts) and hear
 * the gateway's control; none may ask a monitor to measure now, which only the gateway does.
 */
function nodeModule(service: 'controller' | 'sensor' | 'monitor', extra: readonly string[]) {
  const own = service;
  return permissions(
    service,
    [...serviceBase(service), ...ALL_SCHEDULER_MESSAGES, BROADCASTS, ...extra],
    [
      pattern(any.moduleWildcard(ANY_NODE, own)),
      pattern(any.broadcastWildcard(own)),
      ...CONTROL,
      ...(service === 'controller' ? [FLOWS] : []),
    ],
    { publishDeny: [MEASURE] },
  );
}

/** What `role` may publish and subscribe to. */
export function natsPermissions(role: NatsRole): NatsPermissions {
  switch (role) {
    case 'controller':
      return nodeModule('controller', []);
    case 'sensor':
      return nodeModule('sensor', []);
    case 'monitor':
      return nodeModule('monitor', [RESULTS, ...SERVER_CONTROL]);
    case 'flow-discovery':
      return permissions(role, [...serviceBase(role), FLOWS], [FLOWS]);
    case 'result-sink':
      return permissions(
        role,
        [...serviceBase(role), ...JS_READER, '$JS.API.STREAM.UPDATE.*', '$JS.ACK.>', DEAD_LETTER],
        [SINK_STATS],
      );
    case 'gateway':
      return permissions(
        role,
        [
          ...serviceBase(role),
          ...JS_READER,
          ...CONTROL,
          MEASURE,
          pattern(any.schedulerMessage(ANY_NODE, 'monitor', 'priority-override')),
          SINK_STATS,
        ],
        // Flow maps too: the passive figures beside the measured ones (GET /api/v1/flows).
        [EVENTS, RESULTS, FLOWS],
      );
    case 'observer':
      // `_INBOX.>` too: the NATS CLI's requests and stream reads answer there by default.
      return permissions(
        role,
        [...JS_READER, SINK_STATS],
        [EVENTS, RESULTS, SAMPLES, FLOWS, DEAD_LETTER, '_INBOX.>'],
        { allowResponses: false },
      );
  }
}

/** nats-server's subject matching: `*` is one token, `>` one or more at the end. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i += 1) {
    if (want[i] === '>') return have.length > i;
    if (i >= have.length || (want[i] !== '*' && want[i] !== have[i])) return false;
  }
  return want.length === have.length;
}

/** Whether `role` may publish on `subject`, as the server decides it. */
export function mayPublish(role: NatsRole, subject: string): boolean {
  const { publish } = natsPermissions(role);
  return (
    publish.allow.some((p) => subjectMatches(p, subject)) &&
    !publish.deny.some((p) => subjectMatches(p, subject))
  );
}

/** Whether `role` may subscribe to `subject`. */
export const maySubscribe = (role: NatsRole, subject: string): boolean =>
  natsPermissions(role).subscribe.allow.some((p) => subjectMatches(p, subject));
