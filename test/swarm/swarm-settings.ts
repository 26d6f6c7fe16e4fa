import { resolve } from 'node:path';
import { SERVICE_NAMES } from '@meshmon/contracts';
import { MINUTE } from '../e2e/e2e-report.js';

export const REPO = resolve(import.meta.dirname, '../..');
/** The stack's name; a stack of this name that a killed run left is removed first. */
export const STACK = process.env.MESHMON_SWARM_STACK ?? 'meshmon-ci';
/**
 * Deploy to all healthy took 28 s here on a quiet machine and 174 s with other test
 * suites loading both cores.
 */
export const HEALTHY_BOUND_MS = 4 * MINUTE;

/**
 * The e2e stack's ports: off the defaults, because the integration tests' own NATS, Redis
 * and InfluxDB keep 4222/8222, 6379 and 8086/8088 on this machine meanwhile, and the lab's
 * gateway takes 8080.
 */
export const PORTS = {
  MESHMON_NATS_PORT: 14222,
  MESHMON_NATS_MONITOR_PORT: 18222,
  MESHMON_REDIS_PORT: 16379,
  MESHMON_INFLUX_PORT: 18086,
  MESHMON_INFLUX_RPC_PORT: 18088,
  MESHMON_GATEWAY_PORT: 18080,
} as const;

/** Node agents on this one machine (swarm/one-machine.yml names them node1..nodeN). */
export const AGENTS = 3;

/** Every service the spec deploys; the stack must have each, all healthy. */
export const SERVICES = [...SERVICE_NAMES, 'nats', 'redis', 'influxdb'] as const;

/** The images CI builds offline (infra/docker/build-ci-images.sh). */
export const IMAGES = {
  MESHMON_IMAGE: 'meshmon:latest',
  MESHMON_NATS_IMAGE: 'meshmon-nats:local',
  MESHMON_REDIS_IMAGE: 'meshmon-redis:local',
  MESHMON_INFLUX_IMAGE: 'meshmon-influxdb:local',
} as const;

/** Ports the host-network stack binds besides PORTS: the health ports of sink and agents. */
export function healthPorts(agents: number): number[] {
  const agentPorts = Array.from({ length: agents }, (_, slot) =>
    [1, 2, 3, 4].map((module) => 9400 + (slot + 1) * 10 + module),
  ).flat();
  return [9405, ...agentPorts];
}
