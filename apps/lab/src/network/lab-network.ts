import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  ALIAS_PREFIX,
  MAX_INTERFACE_NAME,
  NODE_NAME,
  RUN_ID,
  bridgeName,
  hostVethName,
  namespaceName,
} from './lab-names.js';
import { removeResources } from './lab-teardown.js';
import { LinkOptionError, parseRate, tbfArgs } from './link-shaping.js';
import { argv, CommandError, run } from './run-command.js';
import { awaitEchoReply } from './reachability.js';
import { DEFAULT_STATE_DIR, RunRecord, resourceKey, type LabResource } from './run-registry.js';
import { cleanupStaleLabs } from './stale-cleanup.js';
import {
  chooseSubnet,
  describeUsed,
  hostAddress,
  hostCapacity,
  overlaps,
  parseSubnet,
  usedRanges,
  type Subnet,
} from './subnet.js';

/** A random locally administered unicast MAC (first octet 02), fixed for the bridge's life. */
export function bridgeMacAddress(): string {
  return ['02', ...[...randomBytes(5)].map((byte) => byte.toString(16).padStart(2, '0'))].join(':');
}

export interface LabNode {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  /** The tbf rate of its link, both directions. */
  readonly rate: string;
  /** The root-namespace end of its veth pair. */
  readonly hostVeth: string;
}

export interface LabLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface LabNetworkOptions {
  /** 1-6 of [a-z0-9]; part of every name, so two labs on one machine never collide. */
  readonly runId: string;
  /** A private IPv4 subnet no route or address here overlaps; default a free 10.213.x.0/24. */
  readonly subnet?: string;
  /** Default tbf rate of each node's link, like `200mbit`. */
  readonly linkRate: string;
  readonly logger?: LabLogger;
}

/**
 * The lab's network: a bridge holding the gateway address (.1, where the lab's NATS and
 * Redis listen) and one network namespace per node (.2 onwards), each attached by a veth
 * pair shaped with tbf at both ends: egress of the host end shapes traffic to the node,
 * egress of the node end traffic from it. Node-to-node traffic is bridged (layer 2), so
 * neither IP forwarding nor iptables is involved, unless br_netfilter sends bridged frames
 * through an iptables FORWARD chain that drops them; `addNode` checks reachability and
 * says so.
 *
 * Every resource is written to the run record before it is made, so a crash at any point
 * leaves a record that names all leftovers for `cleanupStale`.
 */
export class LabNetwork {
  private readonly nodes = new Map<string, LabNode>();
  private nextHostIndex = 2;
  private destroying: Promise<void> | null = null;

  private constructor(
    readonly runId: string,
    readonly subnet: Subnet,
    readonly linkRate: string,
    private readonly record: RunRecord,
    private readonly logger: LabLogger,
  ) {}

  /** The bridge's name, `mm<runId>-br`. */
  get bridge(): string {
    return bridgeName(this.runId);
  }

  get gatewayAddress(): string {
    return hostAddress(this.subnet, 1);
  }

  get subnetCidr(): string {
    return this.subnet.cidr;
  }

  /** Creates the bridge; on any failure removes what it made and throws. */
  static async create(options: LabNetworkOptions): Promise<LabNetwork> {
    if (!RUN_ID.test(options.runId)) {
      throw new LinkOptionError(
        'runId',
        `must be 1-6 lower-case letters or digits (got "${options.runId}")`,
      );
    }
    parseRate('linkRate', options.linkRate);
    const requested = options.subnet === undefined ? null : parseSubnet('subnet', options.subnet);
    const logger = options.logger ?? new Logger(LabNetwork.name);
    const { record, stale } = RunRecord.claim(DEFAULT_STATE_DIR, options.runId);
    if (stale) {
      // A dead run with this id left things behind; what will not go now stays on our
      // record, so our own teardown tries again.
      const outcome = await removeResources(stale.resources);
      const removed = new Set(outcome.removed.map(resourceKey));
      for (const left of stale.resources) if (!removed.has(resourceKey(left))) record.add(left);
      for (const problem of outcome.problems) {
        logger.warn(`leftover of an earlier run ${options.runId}: ${problem}`);
      }
    }
    let network: LabNetwork | null = null;
    try {
      const subnet = await chooseSubnet(options.runId, requested);
      record.setSubnet(subnet.cidr);
      network = new LabNetwork(options.runId, subnet, options.linkRate, record, logger);
      await network.createBridge();
      return network;
    } catch (error) {
      if (network) await network.destroy();
      else record.delete();
      throw error;
    }
  }

  /**
   * Removes what runs that are no longer alive left behind: everything their records name,
   * plus namespaces, links and cgroups called `mm<runId>-...` of runs without a live owner
   * (links and namespaces only when they carry our alias). Returns what it removed.
   */
  static cleanupStale(options: { logger?: LabLogger } = {}): Promise<string[]> {
    return cleanupStaleLabs(DEFAULT_STATE_DIR, options.logger ?? new Logger(LabNetwork.name));
  }

  listNodes(): LabNode[] {
    return [...this.nodes.values()];
  }

  node(name: string): LabNode | undefined {
    return this.nodes.get(name);
  }

  /**
   * Adds a node: namespace, veth pair, address, default route via the gateway, tbf on both
   * ends at `rate` (default: the lab's link rate). Checks that the node reaches the gateway
   * and the node added before it. On failure removes what it made and throws.
   */
  async addNode(name: string, options: { rate?: string } = {}): Promise<LabNode> {
    this.assertUsable();
    if (!NODE_NAME.test(name)) {
      throw new LinkOptionError('node name', `must match ${NODE_NAME} (got "${name}")`);
    }
    if (this.nodes.has(name))
      throw new LinkOptionError('node name', `"${name}" is already in the lab`);
    const rate = options.rate ?? this.linkRate;
    const bits = parseRate('rate', rate);
    if (this.nextHostIndex > hostCapacity(this.subnet)) {
      throw new LinkOptionError(
        'node',
        `the subnet ${this.subnet.cidr} has room for no more nodes`,
      );
    }
    const hostIndex = this.nextHostIndex;
    this.nextHostIndex += 1;
    const node: LabNode = {
      name,
      namespace: namespaceName(this.runId, name),
      address: hostAddress(this.subnet, hostIndex),
      rate,
      hostVeth: hostVethName(this.runId, hostIndex),
    };
    if (node.hostVeth.length > MAX_INTERFACE_NAME) {
      throw new LinkOptionError(
        'node',
        `interface name ${node.hostVeth} is longer than 15 characters`,
      );
    }
    const previous = this.listNodes().at(-1);
    const resources: LabResource[] = [
      { kind: 'netns', name: node.namespace },
      { kind: 'link', name: node.hostVeth },
    ];
    for (const resource of resources) this.record.add(resource);
    try {
      await this.plumb(node, bits);
      await this.checkReachable(node, previous);
    } catch (error) {
      await this.remove(resources);
      throw error;
    }
    this.nodes.set(name, node);
    return node;
  }

  /** Reshapes a node's link in both directions, e.g. to make it the slow node mid-run. */
  async setRate(name: string, rate: string): Promise<LabNode> {
    const node = this.requireNode(name);
    const shaping = tbfArgs(parseRate('rate', rate));
    await run([...argv`tc qdisc replace dev ${node.hostVeth} root`, ...shaping]);
    await run([...argv`tc -n ${node.namespace} qdisc replace dev eth0 root`, ...shaping]);
    const reshaped = { ...node, rate };
    this.nodes.set(name, reshaped);
    return reshaped;
  }

  /**
   * Cuts a node off (its link down on the bridge side: nothing in or out, as a pulled
   * cable) or puts it back; what runs in it keeps running.
   */
  async setConnected(name: string, connected: boolean): Promise<void> {
    const node = this.requireNode(name);
    await run(argv`ip link set dev ${node.hostVeth} ${connected ? 'up' : 'down'}`);
  }

  /** Takes a node off the bridge; whatever still runs in its namespace is killed. */
  async removeNode(name: string): Promise<void> {
    const node = this.requireNode(name);
    this.nodes.delete(name);
    await this.remove([
      { kind: 'netns', name: node.namespace },
      { kind: 'link', name: node.hostVeth },
    ]);
  }

  /** Tracks a resource made by someone else for this run (a busy node's cgroup), for cleanup. */
  track(resource: LabResource): void {
    this.assertUsable();
    this.record.add(resource);
  }

  untrack(resource: LabResource): void {
    this.record.remove(resource);
  }

  /**
   * Removes everything the run record names: processes in the namespaces, cgroups,
   * namespaces, veths, the bridge, then the record itself (kept if something would not go,
   * so the next start tries again). Idempotent; never throws; logs what went wrong.
   */
  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      this.nodes.clear();
      try {
        const outcome = await removeResources(this.record.resources, (resource) =>
          this.record.remove(resource),
        );
        for (const problem of outcome.problems)
          this.logger.warn(`lab ${this.runId} teardown: ${problem}`);
        if (outcome.problems.length === 0) this.record.delete();
      } catch (error) {
        this.logger.warn(
          `lab ${this.runId} teardown: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    })();
    return this.destroying;
  }

  private async createBridge(): Promise<void> {
    const bridge = this.bridge;
    this.record.add({ kind: 'link', name: bridge });
    // A bridge without an address of its own takes the lowest MAC of its ports, so a node
    // joining with a lower one changes the gateway's MAC under the nodes' ARP caches: a node
    // that cached the old one (not its own port's) gets no answer from .1 for up to a minute
    // (reachable time, then delay and probes). Seen in CI as "n2 cannot reach the gateway".
    await run(argv`ip link add name ${bridge} address ${bridgeMacAddress()} type bridge`);
    await run(argv`ip link set dev ${bridge} alias ${ALIAS_PREFIX + this.runId}`);
    await run(argv`ip addr add ${this.gatewayAddress}/${this.subnet.prefix} dev ${bridge}`);
    await run(argv`ip link set dev ${bridge} up`);
    // Another lab may have picked the same subnet in the same instant; exactly one may keep it.
    const clash = (await usedRanges()).find(
      (range) => range.device !== null && range.device !== bridge && overlaps(range, this.subnet),
    );
    if (clash) {
      throw new LinkOptionError(
        'subnet',
        `${this.subnet.cidr} is now also used by ${describeUsed(clash)} (another lab started at the same moment?); try again`,
      );
    }
  }

  private async plumb(node: LabNode, bits: number): Promise<void> {
    const { namespace, hostVeth } = node;
    const alias = ALIAS_PREFIX + this.runId;
    const shaping = tbfArgs(bits);
    await run(argv`ip netns add ${namespace}`);
    await run(argv`ip -n ${namespace} link set dev lo alias ${alias} up`);
    await run(argv`ip link add name ${hostVeth} type veth peer name eth0 netns ${namespace}`);
    await run(argv`ip link set dev ${hostVeth} master ${this.bridge} alias ${alias} up`);
    await run(argv`ip -n ${namespace} addr add ${node.address}/${this.subnet.prefix} dev eth0`);
    await run(argv`ip -n ${namespace} link set dev eth0 up`);
    await run(argv`ip -n ${namespace} route add default via ${this.gatewayAddress}`);
    await run([...argv`tc qdisc add dev ${hostVeth} root`, ...shaping]);
    await run([...argv`tc -n ${namespace} qdisc add dev eth0 root`, ...shaping]);
  }

  /**
   * An echo reply from the gateway and from the previous node. Both addresses are ours, and
   * a node that cannot reach them would make the whole lab measure nothing.
   */
  private async checkReachable(node: LabNode, previous: LabNode | undefined): Promise<void> {
    const targets = [this.gatewayAddress, ...(previous ? [previous.address] : [])];
    for (const target of targets) {
      try {
        await awaitEchoReply(node.namespace, target);
      } catch (error) {
        const hint =
          target === this.gatewayAddress
            ? 'check the INPUT firewall rules of this machine'
            : `bridged traffic may pass the iptables FORWARD chain (net.bridge.bridge-nf-call-iptables=1); allow it with \`iptables -I FORWARD -i ${this.bridge} -o ${this.bridge} -j ACCEPT\` or set that sysctl to 0`;
        const detail = error instanceof CommandError ? error.stderr : String(error);
        throw new Error(
          `node ${node.name} (${node.address}) cannot reach ${target}: ${hint} (${detail})`,
          { cause: error },
        );
      }
    }
  }

  private async remove(resources: LabResource[]): Promise<void> {
    const outcome = await removeResources(resources, (resource) => this.record.remove(resource));
    for (const problem of outcome.problems) this.logger.warn(`lab ${this.runId}: ${problem}`);
  }

  private requireNode(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw new LinkOptionError('node name', `"${name}" is not in the lab`);
    return node;
  }

  private assertUsable(): void {
    if (this.destroying) throw new Error(`lab network ${this.runId} is destroyed`);
  }
}
