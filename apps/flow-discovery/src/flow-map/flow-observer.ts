import { MAX_FLOW_MAP_PEERS, type FlowMap, type FlowPeer } from '@meshmon/contracts';
import { classifyFlows, type Flow, type LineProblem } from '@meshmon/discovery';
import type { FlowDiscoveryConfig } from '../config/flow-discovery-config.js';
import type { ConntrackReader } from '../sources/conntrack-reader.js';
import { nodeAddresses } from '../sources/interface-addresses.js';
import { readSockets } from '../sources/proc-net-reader.js';

/** Lines of one source that were not understood during one poll. */
export interface SourceProblems {
  /** `tcp`, `tcp6`, `udp`, `udp6` or `conntrack`. */
  readonly source: string;
  readonly problems: readonly LineProblem[];
}

export interface Observation {
  readonly map: FlowMap;
  readonly problems: readonly SourceProblems[];
}

/**
 * One poll: reads the sockets and conntrack, classifies every flow against this node's
 * addresses and the directory of the others, and builds the flow map to publish.
 */
export class FlowObserver {
  private readonly ignorePorts: ReadonlySet<number>;

  constructor(
    private readonly config: FlowDiscoveryConfig,
    private readonly conntrack: ConntrackReader,
  ) {
    this.ignorePorts = new Set(config.ignorePorts);
  }

  async observe(directory: ReadonlyMap<string, string>, nowMs: number): Promise<Observation> {
    const [sockets, tracked] = await Promise.all([
      readSockets(this.config.procNetDir),
      this.conntrack.read(nowMs),
    ]);
    const addresses = nodeAddresses(this.config.address);
    const flows: Flow[] = [...sockets.flows, ...tracked.flows];
    const counted = classifyFlows(flows, {
      ownAddresses: addresses.own,
      directory,
      ignorePorts: this.ignorePorts,
      allowLoopback: this.config.allowLoopback,
    });
    const map: FlowMap = {
      v: 1,
      cluster: this.config.cluster,
      node: this.config.node,
      addresses: addresses.published,
      observedAtMs: nowMs,
      intervalMs: this.config.intervalMs,
      peers: boundedPeers(counted.peers),
      unknownFlows: counted.unknownFlows,
      ignoredFlows: counted.ignoredFlows,
      conntrack: tracked.status,
    };
    return { map, problems: groupProblems(sockets.problems, tracked.problems) };
  }
}

/** More peers than a map may carry cannot happen in a valid cluster; keep the busiest. */
function boundedPeers(peers: FlowPeer[]): FlowPeer[] {
  if (peers.length <= MAX_FLOW_MAP_PEERS) return peers;
  const total = (peer: FlowPeer) => peer.tcp + peer.udp + peer.conntrack;
  return [...peers].sort((a, b) => total(b) - total(a)).slice(0, MAX_FLOW_MAP_PEERS);
}

function groupProblems(
  socketProblems: readonly { file: string; problem: LineProblem }[],
  conntrackProblems: readonly LineProblem[],
): SourceProblems[] {
  const bySource = new Map<string, LineProblem[]>();
  for (const { file, problem } of socketProblems) {
    bySource.set(file, [...(bySource.get(file) ?? []), problem]);
  }
  if (conntrackProblems.length > 0) bySource.set('conntrack', [...conntrackProblems]);
  return [...bySource.entries()].map(([source, problems]) => ({ source, problems }));
}
