import type { Address, ModuleKind, NodeId } from './address.js';
import type { SchedulerMessage } from './messages.js';
import type { Millis } from './time.js';

/**
 * What a machine asks its adapter to do. The simulator turns these into queued events;
 * the services turn them into NATS publishes, Redis calls and iperf3 runs.
 */
export type Effect =
  | { readonly kind: 'send'; readonly to: Address; readonly message: SchedulerMessage }
  | { readonly kind: 'broadcast'; readonly module: ModuleKind; readonly message: SchedulerMessage }
  | { readonly kind: 'probe-start'; readonly probe: ProbeOrder }
  | { readonly kind: 'event'; readonly event: SchedulerEvent };

/** Monitor -> adapter: run one heavy measurement, and be done by `deadline` whatever happens. */
export interface ProbeOrder {
  readonly measurementId: string;
  readonly monitor: NodeId;
  readonly sensor: NodeId;
  readonly fencingToken: number;
  /** The sensor's lock may lapse after this instant: the probe must be killed by then. */
  readonly deadline: Millis;
}

/** Adapter -> monitor: the probe ended (or was killed at its deadline). */
export interface ProbeOutcome {
  readonly measurementId: string;
  readonly ok: boolean;
}

/** Observable happenings, published as events by the services and counted by the simulator. */
export type SchedulerEvent =
  | { readonly type: 'role-switched'; readonly node: NodeId; readonly role: 'monitor' | 'sensor' }
  | {
      readonly type: 'slot-granted';
      readonly sensor: NodeId;
      readonly monitor: NodeId;
      readonly fencingToken: number;
    }
  | {
      readonly type: 'slot-denied';
      readonly sensor: NodeId;
      readonly monitor: NodeId;
      readonly reason: string;
    }
  | {
      readonly type: 'lease-expired';
      readonly sensor: NodeId;
      readonly monitor: NodeId;
      readonly fencingToken: number;
    }
  | { readonly type: 'request-timeout'; readonly monitor: NodeId; readonly sensor: NodeId }
  | { readonly type: 'member-joined'; readonly node: NodeId; readonly member: NodeId }
  | {
      readonly type: 'member-removed';
      readonly node: NodeId;
      readonly member: NodeId;
      readonly reason: 'left' | 'liveness';
    }
  | { readonly type: 'token-regenerated'; readonly node: NodeId; readonly generation: number }
  | {
      readonly type: 'grace-expired';
      readonly node: NodeId;
      readonly module: 'sensor' | 'monitor';
    };

export const send = (to: Address, message: SchedulerMessage): Effect => ({
  kind: 'send',
  to,
  message,
});
export const emit = (event: SchedulerEvent): Effect => ({ kind: 'event', event });
