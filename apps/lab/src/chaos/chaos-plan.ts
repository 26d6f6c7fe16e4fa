import { expectedCycleSeconds } from '@meshmon/analysis';
import type { SchedulerConfig } from '@meshmon/scheduling';

/** Every fault the suite injects, in the order it injects them (issue 16's list). */
export const FAULT_NAMES = [
  'monitor-killed',
  'sensor-killed',
  'controller-killed',
  'result-sink-killed',
  'gateway-killed',
  'nats-restarted',
  'redis-restarted',
  'influxdb-stopped',
  'node-cut-off',
  'flood-valid',
  'flood-malformed',
  'influxdb-slow',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** One fault as planned: how long it lasts and how soon the suite must be back. */
export interface FaultPlan {
  readonly fault: FaultName;
  /** From injection to lifting it (0: a kill, restarted at once as an orchestrator would). */
  readonly holdSeconds: number;
  /** Recovery must come within this many seconds of the lift... */
  readonly boundSeconds: number;
  /** ...for this reason, in words (the README's table of bounds). */
  readonly boundRule: string;
}

export interface ChaosTiming {
  readonly nodes: number;
  readonly quick: boolean;
  /** The scheduler settings the nodes run with (probe time and --param applied). */
  readonly config: SchedulerConfig;
}

/** A service started again is up within this (Node.js start, NATS connect, first ping). */
export const RESTART_SECONDS = 10;
/** The result sink's longest wait between two tries of a write (its backoff's cap). */
export const SINK_RETRY_SECONDS = 10;
/** How much slower InfluxDB answers while it is "slow": every request held this long. */
export const SLOW_INFLUX_DELAY_MS = 2000;

/**
 * The faults with their durations and recovery bounds. Recovered means: a good result that
 * started after the lift is in InfluxDB (one of the node's own, for a fault on a node) and
 * every result the monitors have counted is in InfluxDB too. The bounds are built from the
 * settings, never from what a run measured:
 * - a full cycle C: the thesis's CPS line at this node count, scaled to this event time
 *   (the next probe of any pair comes within one);
 * - a lease left by a dead monitor lapses within the lock time L;
 * - a node cut off longer than the liveness interval I is removed, and welcomed back
 *   when it answers again.
 */
export function planFaults(timing: ChaosTiming): FaultPlan[] {
  const { config, nodes, quick } = timing;
  const cycle = cycleSeconds(nodes, config.eventMs);
  const lock = config.lockMs / 1000;
  const liveness = livenessSeconds(config, nodes);
  const c = `C ${cycle.toFixed(0)} s`;
  const restartAndCycle = RESTART_SECONDS + lock + cycle;
  const nodeService = {
    holdSeconds: 0,
    boundSeconds: Math.ceil(restartAndCycle),
    boundRule: `restart ${RESTART_SECONDS} s + lock ${lock.toFixed(1)} s + ${c}`,
  };
  const server = {
    holdSeconds: 0,
    boundSeconds: Math.ceil(restartAndCycle),
    boundRule: `reconnect ${RESTART_SECONDS} s + lock ${lock.toFixed(1)} s + ${c}`,
  };
  const outage = quick ? 15 : 60;
  const flood = quick ? 10 : 30;
  const cut = Math.ceil(1.5 * liveness);
  return [
    { fault: 'monitor-killed', ...nodeService },
    { fault: 'sensor-killed', ...nodeService },
    { fault: 'controller-killed', ...nodeService },
    {
      fault: 'result-sink-killed',
      holdSeconds: 0,
      boundSeconds: Math.ceil(RESTART_SECONDS + cycle),
      boundRule: `restart ${RESTART_SECONDS} s + ${c}`,
    },
    {
      fault: 'gateway-killed',
      holdSeconds: 0,
      boundSeconds: Math.ceil(RESTART_SECONDS + cycle),
      boundRule: `restart ${RESTART_SECONDS} s + ${c}`,
    },
    { fault: 'nats-restarted', ...server },
    { fault: 'redis-restarted', ...server },
    {
      fault: 'influxdb-stopped',
      holdSeconds: outage,
      boundSeconds: Math.ceil(SINK_RETRY_SECONDS + cycle),
      boundRule: `the sink's retry ${SINK_RETRY_SECONDS} s + ${c}`,
    },
    {
      fault: 'node-cut-off',
      holdSeconds: cut,
      boundSeconds: Math.ceil(liveness + lock + cycle + RESTART_SECONDS),
      boundRule: `liveness ${liveness.toFixed(1)} s + lock ${lock.toFixed(1)} s + ${c} + reconnect ${RESTART_SECONDS} s`,
    },
    {
      fault: 'flood-valid',
      holdSeconds: flood,
      boundSeconds: Math.ceil(cycle),
      boundRule: c,
    },
    {
      fault: 'flood-malformed',
      holdSeconds: flood,
      boundSeconds: Math.ceil(cycle),
      boundRule: c,
    },
    {
      fault: 'influxdb-slow',
      holdSeconds: flood,
      boundSeconds: Math.ceil(SINK_RETRY_SECONDS + cycle),
      boundRule: `the sink's retry ${SINK_RETRY_SECONDS} s + ${c}`,
    },
  ];
}

/** A full cycle at `nodes` for these events (the thesis's CPS line, scaled). */
export const cycleSeconds = (nodes: number, eventMs: number): number =>
  expectedCycleSeconds(nodes, eventMs / 1000);

/** How often a node pings each member: the interval, at least per member times members. */
export function livenessSeconds(config: SchedulerConfig, nodes: number): number {
  return Math.max(config.livenessIntervalMs, config.livenessIntervalPerMemberMs * nodes) / 1000;
}
