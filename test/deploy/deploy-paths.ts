import { join } from 'node:path';

/** The repository's deployment definitions, wherever jest runs from. */
export const ROOT = join(import.meta.dirname, '..', '..');

export const K8S_DEFAULT = join(ROOT, 'k8s');
export const K8S_POD_NETWORK = join(ROOT, 'k8s', 'overlays', 'pod-network');
/** Where `npm run secrets` puts the kustomization's secrets (ignored by git). */
export const K8S_SECRETS = join(ROOT, 'k8s', 'base', 'secrets');
export const SWARM_STACK = join(ROOT, 'swarm', 'stack.yml');
export const SWARM_OVERLAY = join(ROOT, 'swarm', 'stack.overlay.yml');
export const SWARM_ONE_MACHINE = join(ROOT, 'swarm', 'one-machine.yml');

/** The node agent: one DaemonSet pod on Kubernetes, four global services on Swarm. */
export const AGENT_SERVICES = ['controller', 'sensor', 'monitor', 'flow-discovery'];
export const MESHMON_SERVICES = [...AGENT_SERVICES, 'result-sink', 'gateway'];
export const INFRA_SERVICES = ['nats', 'redis', 'influxdb'];
