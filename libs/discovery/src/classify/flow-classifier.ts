/**
 * Turns the flows a node sees into what its flow map reports: per peer node, how many
 * sockets and conntrack entries connect it to that node; plus how many flows went to
 * addresses no Meshmon node claims, and how many were left out on purpose.
 *
 * Left out (`ignored`), in this order:
 *  - loopback: either end is 127.0.0.0/8 or ::1 (unless `allowLoopback`, for tests that
 *    run several nodes on one host);
 *  - meshmon: either end's port is one of Meshmon's own (NATS, Redis, InfluxDB, the
 *    gateway, the iperf3 range). Either end, because the port that identifies the
 *    service is on the server side: the sensor's iperf3 server listens on 5201, the
 *    monitor's client uses an ephemeral port, and both nodes must drop the flow;
 *  - notLocal: neither end is this node's (conntrack in a forwarding namespace, or a
 *    socket of another node sharing the namespace in tests);
 *  - self: both ends are this node's.
 */
import { isLoopbackAddress } from '../addresses/ip-address.js';
import type { Endpoint, Flow } from '../flow-types.js';

export interface ClassifierContext {
  /** This node's addresses, canonical text. They win over the directory. */
  readonly ownAddresses: ReadonlySet<string>;
  /** Canonical address -> node name, for the other Meshmon nodes. */
  readonly directory: ReadonlyMap<string, string>;
  /** Meshmon's own ports; a flow with either end on one of them is not counted. */
  readonly ignorePorts: ReadonlySet<number>;
  /** Count loopback flows like any other (only for tests on one host). */
  readonly allowLoopback?: boolean;
}

export type IgnoreReason = 'loopback' | 'meshmon' | 'notLocal' | 'self';

export type FlowVerdict =
  | { readonly kind: 'peer'; readonly node: string }
  | { readonly kind: 'unknown'; readonly remote: Endpoint }
  | { readonly kind: 'ignored'; readonly reason: IgnoreReason };

/** How one node is connected to another: flows per source. */
export interface PeerFlowCount {
  readonly node: string;
  /** TCP sockets (tcp and tcp6). */
  readonly tcp: number;
  /** Connected UDP sockets (udp and udp6). */
  readonly udp: number;
  /** conntrack entries, TCP and UDP (the same connection may also be a socket). */
  readonly conntrack: number;
}

export interface FlowClassification {
  /** Sorted by node name. */
  readonly peers: PeerFlowCount[];
  readonly unknownFlows: number;
  readonly ignoredFlows: number;
  readonly ignored: Readonly<Record<IgnoreReason, number>>;
}

/** This node's end and the other end, or null when neither end is this node's. */
function orient(
  flow: Flow,
  own: ReadonlySet<string>,
): { local: Endpoint; remote: Endpoint } | null {
  if (flow.source === 'socket') {
    return own.has(flow.local.address) ? { local: flow.local, remote: flow.remote } : null;
  }
  if (own.has(flow.src.address)) return { local: flow.src, remote: flow.dst };
  if (own.has(flow.dst.address)) return { local: flow.dst, remote: flow.src };
  return null;
}

function ends(flow: Flow): readonly [Endpoint, Endpoint] {
  return flow.source === 'socket' ? [flow.local, flow.remote] : [flow.src, flow.dst];
}

/** What one flow counts as. */
export function classifyFlow(flow: Flow, context: ClassifierContext): FlowVerdict {
  const [a, b] = ends(flow);
  if (!context.allowLoopback && (isLoopbackAddress(a.address) || isLoopbackAddress(b.address))) {
    return { kind: 'ignored', reason: 'loopback' };
  }
  if (context.ignorePorts.has(a.port) || context.ignorePorts.has(b.port)) {
    return { kind: 'ignored', reason: 'meshmon' };
  }
  const oriented = orient(flow, context.ownAddresses);
  if (oriented === null) return { kind: 'ignored', reason: 'notLocal' };
  if (context.ownAddresses.has(oriented.remote.address)) return { kind: 'ignored', reason: 'self' };
  const node = context.directory.get(oriented.remote.address);
  return node === undefined ? { kind: 'unknown', remote: oriented.remote } : { kind: 'peer', node };
}

/** Counts every flow (sockets and conntrack entries alike) by its verdict. */
export function classifyFlows(
  flows: Iterable<Flow>,
  context: ClassifierContext,
): FlowClassification {
  const peers = new Map<string, { tcp: number; udp: number; conntrack: number }>();
  const ignored: Record<IgnoreReason, number> = { loopback: 0, meshmon: 0, notLocal: 0, self: 0 };
  let unknownFlows = 0;
  for (const flow of flows) {
    const verdict = classifyFlow(flow, context);
    if (verdict.kind === 'ignored') {
      ignored[verdict.reason] += 1;
    } else if (verdict.kind === 'unknown') {
      unknownFlows += 1;
    } else {
      const counts = peers.get(verdict.node) ?? { tcp: 0, udp: 0, conntrack: 0 };
      if (flow.source === 'conntrack') counts.conntrack += 1;
      else counts[flow.protocol] += 1;
      peers.set(verdict.node, counts);
    }
  }
  const ignoredFlows = ignored.loopback + ignored.meshmon + ignored.notLocal + ignored.self;
  return {
    peers: [...peers.entries()]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([node, counts]) => ({ node, ...counts })),
    unknownFlows,
    ignoredFlows,
    ignored,
  };
}
