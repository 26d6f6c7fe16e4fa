/**
 * Cluster and node names end up inside NATS subjects, JetStream stream names and Redis
 * keys, so they are checked once here: a dot would add a subject token (and let
 * `node.a.b` impersonate another module), a space or `*`/`>` would break subjects.
 */
import type { ModuleKind } from '@meshmon/scheduling';
import type { Problem } from './validation/problem.js';

/** The three per-node modules (and services): the `<module>` token of node subjects. */
export const MODULE_KINDS: readonly ModuleKind[] = ['controller', 'sensor', 'monitor'];

/**
 * Every Meshmon service: the three node modules, the per-node flow discovery, and the
 * cluster-wide result sink and gateway. The `service` that reports an event.
 */
export const SERVICE_NAMES = [
  'controller',
  'sensor',
  'monitor',
  'flow-discovery',
  'result-sink',
  'gateway',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The services that run on every node; the others (sink, gateway) are not nodes. */
export const NODE_SERVICE_NAMES: readonly ServiceName[] = [
  'controller',
  'sensor',
  'monitor',
  'flow-discovery',
];

export const isNodeService = (service: ServiceName): boolean =>
  NODE_SERVICE_NAMES.includes(service);

/**
 * Where the services run (the `orchestrator` of samples and stored points): `process` and
 * `container` are the comparison's baselines (plain processes; `docker run`, no
 * orchestrator); `lab` the lab's namespaces; `none` says nothing about it.
 */
export const ORCHESTRATORS = [
  'none',
  'lab',
  'process',
  'container',
  'swarm',
  'kubernetes',
] as const;
export type Orchestrator = (typeof ORCHESTRATORS)[number];

/** Lower case because it also names a JetStream stream (upper-cased) and Redis keys. */
export const CLUSTER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** No dots: a node name is exactly one NATS subject token. */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export const CLUSTER_NAME_RULE =
  'must be a cluster name: 1-32 lower-case letters, digits or -, not starting with -';
export const NODE_NAME_RULE =
  'must be a node name: 1-63 letters, digits, _ or -, not starting with _ or - (no dots)';

export function isClusterName(value: unknown): value is string {
  return typeof value === 'string' && CLUSTER_NAME_PATTERN.test(value);
}

export function isNodeName(value: unknown): value is string {
  return typeof value === 'string' && NODE_NAME_PATTERN.test(value);
}

/** Thrown when code (not a peer) passes a bad name, e.g. from configuration. */
export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';

  constructor(readonly problem: Problem) {
    super(`${problem.field} ${problem.rule}`);
  }
}

export function assertClusterName(value: unknown, field = 'cluster'): string {
  if (!isClusterName(value)) throw new InvalidNameError({ field, rule: CLUSTER_NAME_RULE });
  return value;
}

export function assertNodeName(value: unknown, field = 'node'): string {
  if (!isNodeName(value)) throw new InvalidNameError({ field, rule: NODE_NAME_RULE });
  return value;
}

/**
 * A node name from the host's: orchestrators name nodes by host name (a Kubernetes node
 * name, Swarm's `{{.Node.Hostname}}`), which may hold dots; a node name is one subject
 * token, so each dot becomes `_` (`ip-10-0-1-7.ec2.internal` -> `ip-10-0-1-7_ec2_internal`).
 */
export const nodeNameFromHost = (host: string): string => host.replaceAll('.', '_');
