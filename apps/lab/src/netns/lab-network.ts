import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, tryCommand } from './run-command.js';

export interface LabNode {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
}

/** Where each run records that it is alive, so a later run can tell leftovers from neighbours. */
const STATE_DIR = '/run/meshmon-lab';
const RUN_ID = /^[a-z0-9]{1,6}$/;
/** Subnets 10.213.100.0/24 .. 10.213.199.0/24: one per concurrent run. */
const SUBNET_BASE = '10.213';

/**
 * The lab's network: a bridge with the gateway address and one namespace per node,
 * attached by a veth pair shaped with tbf at both ends (egress of the host side shapes
 * traffic to the node, egress of the node side traffic from it). Names carry the run id,
 * so two labs never collide, and every run leaves a state file naming its owner process,
 * so `cleanupStale` removes only what a dead run left behind.
 */
export class LabNetwork {
  private readonly nodes = new Map<string, LabNode & { hostVeth: string }>();
  private nextHost = 2;
  private destroyed = false;

  private constructor(
    readonly runId: string,
    readonly bridge: string,
    private readonly subnet: number,
    readonly linkRate: string,
  ) {}

  get gatewayAddress(): string {
    return `${SUBNET_BASE}.${this.subnet}.1`;
  }

  static async create(options: { runId: string; linkRate: string }): Promise<LabNetwork> {
    if (!RUN_ID.test(options.runId))
      throw new Error(`runId: must be 1-6 lower-case letters or digits (got "${options.runId}")`);
    const subnet = await freeSubnet();
    const network = new LabNetwork(
      options.runId,
      `mmbr-${options.runId}`,
      subnet,
      options.linkRate,
    );
    network.writeState();
    try {
      await runCommand('ip', ['link', 'add', network.bridge, 'type', 'bridge']);
      await runCommand('ip', [
        'addr',
        'add',
        `${network.gatewayAddress}/24`,
        'dev',
        network.bridge,
      ]);
      await runCommand('ip', ['link', 'set', network.bridge, 'up']);
    } catch (error) {
      await network.destroy();
      throw error;
    }
    return network;
  }

  async addNode(name: string, options: { rate?: string } = {}): Promise<LabNode> {
    if (this.nodes.has(name)) throw new Error(`node ${name} is already in the lab`);
    if (this.nextHost > 254) throw new Error('the lab subnet holds at most 253 nodes');
    const host = this.nextHost++;
    const namespace = `mm${this.runId}-${name}`;
    const hostVeth = `mv${this.runId}h${host}`;
    const nodeVeth = `mv${this.runId}n${host}`;
    const node = { name, namespace, address: `${SUBNET_BASE}.${this.subnet}.${host}`, hostVeth };
    this.nodes.set(name, node);
    const rate = options.rate ?? this.linkRate;
    const inNode = (...args: string[]) => runCommand('ip', ['-n', namespace, ...args]);
    await runCommand('ip', ['netns', 'add', namespace]);
    await runCommand('ip', ['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', nodeVeth]);
    await runCommand('ip', ['link', 'set', nodeVeth, 'netns', namespace]);
    await runCommand('ip', ['link', 'set', hostVeth, 'master', this.bridge]);
    await runCommand('ip', ['link', 'set', hostVeth, 'up']);
    await inNode('link', 'set', nodeVeth, 'name', 'eth0');
    await inNode('addr', 'add', `${node.address}/24`, 'dev', 'eth0');
    await inNode('link', 'set', 'eth0', 'up');
    await inNode('link', 'set', 'lo', 'up');
    await inNode('route', 'add', 'default', 'via', this.gatewayAddress);
    await runCommand('tc', ['qdisc', 'add', 'dev', hostVeth, 'root', ...tbf(rate)]);
    await runCommand('ip', [
      'netns',
      'exec',
      namespace,
      'tc',
      'qdisc',
      'add',
      'dev',
      'eth0',
      'root',
      ...tbf(rate),
    ]);
    return { name, namespace, address: node.address };
  }

  /** Takes one node off the bridge, killing whatever still runs in its namespace. */
  async removeNode(name: string): Promise<string[]> {
    const node = this.nodes.get(name);
    if (!node) return [];
    this.nodes.delete(name);
    return removeNamespace(node.namespace, node.hostVeth);
  }

  /** Idempotent and never throws: returns the problems it met, for the log. */
  async destroy(): Promise<string[]> {
    if (this.destroyed) return [];
    this.destroyed = true;
    const problems: string[] = [];
    for (const name of [...this.nodes.keys()]) problems.push(...(await this.removeNode(name)));
    const bridgeGone = await tryCommand('ip', ['link', 'del', this.bridge]);
    if (bridgeGone && !/Cannot find device/.test(bridgeGone)) problems.push(bridgeGone);
    rmSync(join(STATE_DIR, `${this.runId}.json`), { force: true });
    return problems;
  }

  /** Removes namespaces, veths and bridges of lab runs whose process is gone. */
  static async cleanupStale(): Promise<string[]> {
    const removed: string[] = [];
    const alive = new Set<string>();
    mkdirSync(STATE_DIR, { recursive: true });
    for (const file of readdirSync(STATE_DIR)) {
      const runId = file.replace(/\.json$/, '');
      try {
        const { pid } = JSON.parse(readFileSync(join(STATE_DIR, file), 'utf8')) as { pid: number };
        process.kill(pid, 0);
        alive.add(runId);
      } catch {
        rmSync(join(STATE_DIR, file), { force: true });
      }
    }
    const namespaces = (await runCommand('ip', ['netns', 'list']))
      .split('\n')
      .map((line) => line.split(' ')[0])
      .filter((name) => /^mm[a-z0-9]{1,6}-/.test(name));
    for (const namespace of namespaces) {
      const runId = namespace.slice(2, namespace.indexOf('-'));
      if (alive.has(runId)) continue;
      await removeNamespace(namespace, null);
      removed.push(namespace);
    }
    const links = (await runCommand('ip', ['-o', 'link', 'show']))
      .split('\n')
      .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    for (const link of links) {
      const match = /^mmbr-([a-z0-9]{1,6})$/.exec(link) ?? /^mv([a-z0-9]{1,6})h\d+$/.exec(link);
      if (!match || alive.has(match[1])) continue;
      await tryCommand('ip', ['link', 'del', link]);
      removed.push(link);
    }
    return removed;
  }

  private writeState(): void {
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(
      join(STATE_DIR, `${this.runId}.json`),
      JSON.stringify({ pid: process.pid, bridge: this.bridge }),
    );
  }
}

/**
 * tbf at `rate` with a bucket of 10 ms of traffic (at least 64 KiB, so TCP can reach the
 * rate) and at most 20 ms of queue, so a slow link shows up as throughput, not as delay.
 */
function tbf(rate: string): string[] {
  const bytesPerSecond = rateInBits(rate) / 8;
  const burst = Math.max(64 * 1024, Math.round(bytesPerSecond / 100));
  return ['tbf', 'rate', rate, 'burst', String(burst), 'latency', '20ms'];
}

export function rateInBits(rate: string): number {
  const match = /^(\d+(?:\.\d+)?)(kbit|mbit|gbit)$/.exec(rate);
  if (!match) throw new Error(`rate: must be like 200mbit, 1gbit or 800kbit (got "${rate}")`);
  const unit = { kbit: 1e3, mbit: 1e6, gbit: 1e9 }[match[2] as 'kbit' | 'mbit' | 'gbit'];
  return Number(match[1]) * unit;
}

async function removeNamespace(namespace: string, hostVeth: string | null): Promise<string[]> {
  const problems: string[] = [];
  try {
    const pids = (await runCommand('ip', ['netns', 'pids', namespace])).split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  } catch {
    // No such namespace any more.
  }
  const gone = await tryCommand('ip', ['netns', 'del', namespace]);
  if (gone && !/No such file/.test(gone)) problems.push(gone);
  // Deleting the namespace deletes its veth end, which takes the host end with it.
  if (hostVeth) await tryCommand('ip', ['link', 'del', hostVeth]);
  return problems;
}

/** A /24 of 10.213.100-199 that no interface or route on this machine uses. */
async function freeSubnet(): Promise<number> {
  const routes = await runCommand('ip', ['-4', 'route', 'show']);
  const used = new Set([...routes.matchAll(/10\.213\.(\d+)\./g)].map((match) => Number(match[1])));
  const start = 100 + Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i += 1) {
    const candidate = 100 + ((start - 100 + i) % 100);
    if (!used.has(candidate)) return candidate;
  }
  throw new Error('no free 10.213.x.0/24 subnet for the lab: remove old labs with `ip netns list`');
}
