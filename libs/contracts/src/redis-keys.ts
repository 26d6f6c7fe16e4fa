import { assertNodeName } from './names.js';

/**
 * Every Redis key the suite reads or writes is built here, beside the NATS subjects, so an
 * operator (and a Redis ACL) can see the whole key space in one place. All of a cluster's
 * keys start with `meshmon:<cluster>:`; the lease library's are built from any prefix so
 * that its tests can use a fresh one.
 */
export class RedisKeys {
  /** `meshmon:<cluster>`: every key of the cluster starts with it and `:`. */
  readonly prefix: string;
  /** The scheduler run in force (JSON), read by services that start later. */
  readonly schedulerState: string;
  /** Hash of hand-made intents, field `<monitor>:<sensor>`. */
  readonly manualIntents: string;
  /** Hash: field `<node>` is set while that node's controller runs in discovery mode. */
  readonly discoveryMode: string;

  constructor(cluster: string) {
    this.prefix = `meshmon:${cluster}`;
    this.schedulerState = `${this.prefix}:scheduler`;
    this.manualIntents = `${this.prefix}:intents:manual`;
    this.discoveryMode = `${this.prefix}:intents:discovery-mode`;
  }

  /** Hash of the pairs one node's controller discovered (field `<monitor>:<sensor>`). */
  discoveredIntents(node: string): string {
    return `${this.prefix}:intents:discovered:${assertNodeName(node, 'node')}`;
  }

  /** Hash: sensor -> when this monitor last measured it (ms since the epoch). */
  monitorLastMeasured(monitor: string): string {
    return `${this.prefix}:monitor:${monitor}:last-measured`;
  }

  /** Hash: sensor -> the priority an operator pinned for this monitor (ms). */
  monitorPinnedPriority(monitor: string): string {
    return `${this.prefix}:monitor:${monitor}:pinned-priority`;
  }
}

/** `<token>|<holder>` with a PX expiry; absent when the sensor is free. */
export const leaseKey = (prefix: string, sensor: string): string => `${prefix}:lease:${sensor}`;

/**
 * The INCR counter behind a sensor's fencing tokens. It never expires and is never deleted
 * while the cluster runs: resetting it would hand out tokens that old results already carry.
 */
export const fenceKey = (prefix: string, sensor: string): string => `${prefix}:fence:${sensor}`;

/** A node a manual measurement waits for: scheduled probes give way while it is set. */
export const wantedKey = (prefix: string, node: string): string => `${prefix}:wanted:${node}`;

/**
 * A hash of numbers as Redis keeps them (strings), e.g. the monitor's history. Fields that
 * do not parse as numbers are skipped: a bad hand edit must not stop a reader.
 */
export function numberHash(hash: Readonly<Record<string, string>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [field, raw] of Object.entries(hash)) {
    const value = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(value)) out.set(field, value);
  }
  return out;
}
