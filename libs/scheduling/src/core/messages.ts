import type { NodeId } from './address.js';
import type { PairScopeSpec } from './pair-scope.js';

/**
 * Priority of a (monitor, sensor) pair: milliseconds since the monitor last measured the
 * sensor. A pair never measured has the highest priority of all.
 */
export const NEVER_MEASURED = Number.MAX_SAFE_INTEGER;

/** Identifies one slot of the Timetable algorithm; both ends must agree on all three fields. */
export interface SlotRef {
  readonly viewId: string;
  readonly cycle: number;
  readonly slot: number;
}

// ---- between nodes -------------------------------------------------------------------

/** Monitor -> sensor: may I measure you? */
export interface SlotRequest {
  readonly type: 'slot-request';
  readonly requestId: string;
  readonly monitor: NodeId;
  readonly priority: number;
  /**
   * Which copy of a retried request this is. The grant echoes it, so the monitor knows a
   * send time no later than the grant and can keep its probe inside the sensor's lock.
   */
  readonly attempt: number;
  readonly slot?: SlotRef;
}

export type DenyReason =
  'not-sensor' | 'busy' | 'lower-priority' | 'slot-passed' | 'view-mismatch' | 'not-expected';

/** Sensor -> monitor: granted, with the fencing token and how long the lock lasts. */
export interface SlotGrant {
  readonly type: 'slot-grant';
  readonly requestId: string;
  readonly sensor: NodeId;
  readonly fencingToken: number;
  readonly leaseMs: number;
  /** The `attempt` of the request copy this grant answers. */
  readonly attempt: number;
}

export interface SlotDeny {
  readonly type: 'slot-deny';
  readonly requestId: string;
  readonly sensor: NodeId;
  readonly reason: DenyReason;
  /** When known, how long until this sensor can serve again (relative, so no clock sync). */
  readonly retryAfterMs?: number;
}

/** Monitor -> sensor: done (or gave up); only the holder's token releases the lock. */
export interface SlotRelease {
  readonly type: 'slot-release';
  readonly requestId: string;
  readonly monitor: NodeId;
  readonly fencingToken: number;
}

/** Controller <-> controller liveness check. */
export interface Ping {
  readonly type: 'ping';
  readonly from: NodeId;
  readonly nonce: number;
  /** Digest of the sender's member list; a responder whose own differs sends its list. */
  readonly viewId: string;
}

export interface Pong {
  readonly type: 'pong';
  readonly from: NodeId;
  readonly nonce: number;
  /** The responder's members, only when the ping's view digest differed from its own. */
  readonly members?: readonly NodeId[];
}

/** Broadcast by a joining node; every controller answers with a Welcome. */
export interface Hello {
  readonly type: 'hello';
  readonly node: NodeId;
}

export interface Welcome {
  readonly type: 'welcome';
  readonly node: NodeId;
}

/** Broadcast by a node that leaves on purpose. */
export interface Goodbye {
  readonly type: 'goodbye';
  readonly node: NodeId;
}

/** Round Robin: the token, handed from controller to controller. */
export interface TokenPass {
  readonly type: 'token-pass';
  readonly from: NodeId;
  readonly generation: number;
}

export interface TokenAck {
  readonly type: 'token-ack';
  readonly from: NodeId;
  readonly generation: number;
}

/** Round Robin: broadcast by each new holder, so that others can regenerate a lost token. */
export interface TokenHolder {
  readonly type: 'token-holder';
  readonly node: NodeId;
  readonly generation: number;
}

// ---- within one node (controller <-> sensor / monitor) --------------------------------

/**
 * Controller -> sensor or monitor: become active or stand down. `epoch` increases with
 * every command so that a late `module-idle` from an older command is ignored.
 */
export interface RoleCommand {
  readonly type: 'role';
  readonly active: boolean;
  readonly epoch: number;
  /** Standing down: roughly how long until this module is active again, if known. */
  readonly backInMs?: number;
}

/** Sensor or monitor -> controller: no lock held / no measurement in flight any more. */
export interface ModuleIdle {
  readonly type: 'module-idle';
  readonly module: 'sensor' | 'monitor';
  readonly epoch: number;
}

/**
 * Sensor or monitor -> controller: "I have just started". A module that starts after its
 * controller (or restarts) missed the role and members the controller sent; the
 * controller answers with both again. The services send it; the simulator's modules
 * start together with their controller and never need it.
 */
export interface ModuleReady {
  readonly type: 'module-ready';
  readonly module: 'sensor' | 'monitor';
}

/** Controller -> sensor and monitor: the current membership view. */
export interface MembersUpdate {
  readonly type: 'members';
  readonly members: readonly NodeId[];
}

/** Timetable: controller -> monitor or sensor: take part in this slot with this partner. */
export interface SlotAssignment {
  readonly type: 'slot-assign';
  readonly slot: SlotRef;
  readonly partner: NodeId;
}

export type SlotOutcome = 'measured' | 'skipped' | 'timeout';

/**
 * Timetable: sensor -> its partner's monitor: "I am in this slot and nobody asked yet".
 * A monitor already past the slot answers `slot-passed`, so a node that fell behind
 * learns it in one round trip instead of waiting out every one of its sensor slots.
 */
export interface SlotOffer {
  readonly type: 'slot-offer';
  readonly sensor: NodeId;
  readonly slot: SlotRef;
}

/** Timetable: monitor -> sensor: that slot is behind me. */
export interface SlotPassed {
  readonly type: 'slot-passed';
  readonly monitor: NodeId;
  readonly slot: SlotRef;
}

/** Timetable: monitor or sensor -> controller: the assigned slot is over. */
export interface SlotDone {
  readonly type: 'slot-done';
  readonly module: 'sensor' | 'monitor';
  readonly slot: SlotRef;
  readonly outcome: SlotOutcome;
}

/** Round Robin: monitor -> controller: every other node was tried once. */
export interface RoundComplete {
  readonly type: 'round-complete';
  readonly epoch: number;
}

/** Anyone -> controller / monitor / sensor: which pairs are in scope. */
export interface IntentsUpdate {
  readonly type: 'intents';
  readonly scope: PairScopeSpec;
}

/** Operator -> monitor: pin (or with null, unpin) the priority of one sensor. */
export interface PriorityOverride {
  readonly type: 'priority-override';
  readonly sensor: NodeId;
  readonly priorityMs: number | null;
}

export type SchedulerMessage =
  | SlotRequest
  | SlotGrant
  | SlotDeny
  | SlotRelease
  | Ping
  | Pong
  | Hello
  | Welcome
  | Goodbye
  | TokenPass
  | TokenAck
  | TokenHolder
  | RoleCommand
  | ModuleIdle
  | ModuleReady
  | MembersUpdate
  | SlotAssignment
  | SlotDone
  | SlotOffer
  | SlotPassed
  | RoundComplete
  | IntentsUpdate
  | PriorityOverride;
