import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Subjects, type NatsRole } from '@meshmon/contracts';
import { ensureCredentials, type Credentials } from '@meshmon/service-runtime';
import type { ServiceName } from '@meshmon/contracts';
import {
  formatSchedulerParams,
  type AlgorithmName,
  type SchedulerParams,
} from '@meshmon/scheduling';
import { labNatsLogin, natsLoginAs, serviceNatsEnv } from '../infra/lab-logins.js';
import { startLabServers, type LabServerName, type LabServers } from '../infra/lab-servers.js';
import { serviceCommand } from '../infra/service-build.js';
import { BusyNode } from '../network/busy-node.js';
import { LabNetwork, type LabNode } from '../network/lab-network.js';
import { spawnInNamespace, type NamespaceProcess } from '../network/namespace-process.js';
import { LabObserver } from './lab-observer.js';
import {
  LabSuite,
  type LabGateway,
  type LabSuiteOptions,
  type LabSuiteService,
} from './lab-suite.js';

export interface LabClusterOptions {
  readonly repo: string;
  readonly runId: string;
  /** null: the nodes start idle and wait for a start order (the gateway's). */
  readonly algorithm: AlgorithmName | null;
  readonly probeSeconds: number;
  readonly linkRate: string;
  /** Node -> tbf rate of its link, lower than the others'. */
  readonly slowNodes: ReadonlyMap<string, string>;
  readonly busyNodes: ReadonlySet<string>;
  /** Scheduler parameters, passed to every service as MESHMON_SCHEDULER_PARAMS. */
  readonly schedulerParams: SchedulerParams;
  readonly seed: number;
  /** The result sink, gateway and flow discovery too; null runs only the node agents. */
  readonly suite: LabSuiteOptions | null;
}

/** The cluster name every lab uses: each lab has a NATS and Redis of its own. */
const LAB_CLUSTER = 'lab';
type NodeService = Extract<ServiceName, 'sensor' | 'monitor' | 'controller' | 'flow-discovery'>;
const MODULES: readonly NodeService[] = ['sensor', 'monitor', 'controller'];
const STARTUP_TIMEOUT_MS = 60_000;

interface RunningNode {
  readonly node: LabNode;
  /** When all its services were up; the pairs it takes part in count from then. */
  joinedAtMs: number;
  readonly processes: Map<NodeService, NamespaceProcess>;
  /** How each service was started, so that it can be started again the same way. */
  readonly spawners: Map<NodeService, () => Promise<NamespaceProcess>>;
  busy: BusyNode | null;
  present: boolean;
}

/**
 * A Meshmon cluster on this machine: one network namespace per node on a shaped bridge,
 * the three node services in each, and a NATS and Redis of its own on the bridge. Tests
 * drive it directly (kill a service, add a node); the lab CLI runs it for a duration.
 */
export class LabCluster {
  readonly subjects: Subjects;
  readonly nodes = new Map<string, RunningNode>();
  readonly folder: string;
  startedAtMs = 0;
  private suite: LabSuite | null = null;
  /** Connections made by connectAs, closed with the lab. */
  private readonly borrowed: NatsConnection[] = [];

  private constructor(
    readonly options: LabClusterOptions,
    private readonly network: LabNetwork,
    private readonly servers: LabServers,
    private readonly connection: NatsConnection,
    readonly observer: LabObserver,
    /** The run's secrets (.lab/<run>/credentials): the gateway's token, Redis's password. */
    readonly credentials: Credentials,
  ) {
    this.subjects = observer.subjects;
    this.folder = join(options.repo, '.lab', options.runId);
  }

  /** Brings everything up; on any failure takes down what it had started, then throws. */
  static async start(
    options: LabClusterOptions,
    nodeNames: readonly string[],
  ): Promise<LabCluster> {
    const folder = join(options.repo, '.lab', options.runId);
    mkdirSync(folder, { recursive: true });
    let network: LabNetwork | null = null;
    let servers: LabServers | null = null;
    let cluster: LabCluster | null = null;
    try {
      network = await LabNetwork.create({ runId: options.runId, linkRate: options.linkRate });
      const credentials = ensureCredentials(join(folder, 'credentials'));
      servers = await startLabServers(network.gatewayAddress, folder, credentials);
      const connection = await connect({
        servers: servers.natsUrl,
        name: 'meshmon-lab',
        maxReconnectAttempts: -1,
        ...labNatsLogin(credentials),
      });
      const subjects = new Subjects(LAB_CLUSTER);
      const observer = new LabObserver(connection, subjects);
      await observer.start();
      cluster = new LabCluster(options, network, servers, connection, observer, credentials);
      if (options.suite) {
        cluster.suite = await LabSuite.start(options.suite, {
          repo: options.repo,
          folder,
          natsUrl: servers.natsUrl,
          redisUrl: servers.redisUrl,
          subjects,
          nats: connection,
          probeSeconds: options.probeSeconds,
          credentials,
        });
      }
      await cluster.startNodes(nodeNames, false);
      cluster.startedAtMs = Date.now();
      return cluster;
    } catch (error) {
      if (cluster) await cluster.stop();
      else {
        await servers?.stop();
        await network?.destroy();
      }
      throw error;
    }
  }

  /** A node joining the running cluster: it knows only itself and announces itself. */
  async addNode(name: string): Promise<void> {
    await this.startNodes([name], true);
  }

  /** Kills one service of one node the hard way, as a crash would. */
  kill(node: string, module: NodeService): void {
    this.nodes.get(node)?.processes.get(module)?.signal('SIGKILL');
  }

  /**
   * Starts one service of a node again, with the settings it first had (as an orchestrator
   * restarts a container); resolves once it says it has started. A running one is stopped
   * first.
   */
  async restart(node: string, module: NodeService): Promise<void> {
    const running = this.nodes.get(node);
    const spawn = running?.spawners.get(module);
    if (!running || !spawn) throw new Error(`the lab has no ${module} on ${node}`);
    await running.processes
      .get(module)
      ?.stop(3000)
      .catch(() => undefined);
    const started = this.nextStart(node, module);
    // Awaited below; if the spawn throws first, its rejection must not go unhandled.
    started.catch(() => undefined);
    running.processes.set(module, await spawn());
    await started;
  }

  /** The cluster-wide services: the result sink or the gateway killed, then started again. */
  killSuite(service: LabSuiteService): void {
    this.requireSuite().kill(service);
  }

  restartSuite(service: LabSuiteService): Promise<void> {
    return this.requireSuite().restart(service);
  }

  /** NATS or Redis stopped (SIGTERM) and started again on its data. */
  restartServer(server: LabServerName): Promise<void> {
    return this.servers.restart(server);
  }

  /** A node cut off the bridge (its link down) or put back; its services keep running. */
  setConnected(node: string, connected: boolean): Promise<void> {
    return this.network.setConnected(node, connected);
  }

  /** A whole node vanishes (every service killed); it no longer counts in the report. */
  crashNode(node: string): void {
    const running = this.nodes.get(node);
    if (!running) return;
    running.present = false;
    for (const process of running.processes.values()) process.signal('SIGKILL');
  }

  /**
   * The gateway, when the lab runs the whole suite: its URL and the token its API requires
   * (kept in .lab/<run>/credentials/gateway-token).
   */
  get gateway(): LabGateway | null {
    return this.suite ? { url: this.suite.gatewayUrl, token: this.suite.gatewayToken } : null;
  }

  /** Where the run's secrets are (printed, never the secrets themselves). */
  get credentialsFolder(): string {
    return this.credentials.folder;
  }

  /** How a client logs in to the lab's Redis. */
  get redisLogin(): { readonly username: string; readonly password: string } {
    return { username: this.credentials.redisUsername, password: this.credentials.redisPassword };
  }

  get natsUrl(): string {
    return this.servers.natsUrl;
  }

  get redisUrl(): string {
    return this.servers.redisUrl;
  }

  /** The lab's own connection: the observer's login (reads; publishes nothing of ours). */
  get nats(): NatsConnection {
    return this.connection;
  }

  /**
   * A connection logged in as one of the services, for what only that service may do (a
   * test that plays a faulty monitor, a fault that forges a message). Closed with the lab.
   */
  async connectAs(role: NatsRole): Promise<NatsConnection> {
    const connection = await connect({
      servers: this.servers.natsUrl,
      name: `meshmon-lab-as-${role}`,
      ...natsLoginAs(this.credentials, role),
    });
    this.borrowed.push(connection);
    return connection;
  }

  pids(): { node: string; module: string; pid: number }[] {
    const out: { node: string; module: string; pid: number }[] = [];
    for (const [node, running] of this.nodes) {
      for (const [module, process] of running.processes) {
        if (process.running) out.push({ node, module, pid: process.pid });
      }
    }
    for (const { service, pid } of this.suite?.pids() ?? [])
      out.push({ node: '-', module: service, pid });
    return out;
  }

  private requireSuite(): LabSuite {
    if (!this.suite)
      throw new Error('the lab runs only the node agents (no result sink or gateway)');
    return this.suite;
  }

  /** Resolves when `node`'s `module` next reports service-started (within the start-up bound). */
  private nextStart(node: string, module: NodeService): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${node}.${module} did not start within ${STARTUP_TIMEOUT_MS / 1000} s (logs in ${this.folder})`,
            ),
          ),
        STARTUP_TIMEOUT_MS,
      );
      timer.unref();
      const stopListening = this.observer.onEvent((event) => {
        if (event.type === 'service-started' && event.node === node && event.service === module) {
          clearTimeout(timer);
          stopListening();
          resolve();
        }
      });
    });
  }

  /** Stops services (gracefully, then hard), the servers and the network. Never throws. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.nodes.values()].flatMap((running) =>
        [...running.processes.values()].map((process) => process.stop(3000).catch(() => undefined)),
      ),
    );
    // A busy node's cgroup can only go once the services in it have stopped.
    await Promise.all(
      [...this.nodes.values()].map((running) => running.busy?.destroy().catch(() => undefined)),
    );
    await this.suite?.stop();
    await this.observer.stop().catch(() => undefined);
    for (const connection of this.borrowed.splice(0))
      await connection.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
    await this.servers.stop().catch(() => undefined);
    await this.network.destroy().catch(() => undefined);
  }

  private async startNodes(names: readonly string[], joining: boolean): Promise<void> {
    const started = new Set<string>();
    const services = this.services();
    const expected = names.length * services.length;
    const allStarted = new Promise<void>((resolve) => {
      this.observer.onEvent((event) => {
        if (event.type !== 'service-started' || !names.includes(event.node)) return;
        started.add(`${event.node}.${event.service}`);
        if (started.size >= expected) resolve();
      });
    });
    const members = joining ? null : names;
    for (const name of names) {
      const node = await this.network.addNode(name, { rate: this.options.slowNodes.get(name) });
      const running: RunningNode = {
        node,
        joinedAtMs: Date.now(),
        processes: new Map(),
        spawners: new Map(),
        busy: null,
        present: true,
      };
      this.nodes.set(name, running);
      if (this.options.busyNodes.has(name)) {
        running.busy = await BusyNode.prepare(this.network, node, {
          logFile: join(this.folder, `${name}.stress.log`),
        });
      }
      for (const module of services) {
        const [command, ...args] = serviceCommand(this.options.repo, module);
        const spawn = () =>
          spawnInNamespace({
            namespace: node.namespace,
            command,
            args,
            env: {
              ...this.serviceEnv(node, members ?? [name], joining),
              ...serviceNatsEnv(this.credentials, module),
            },
            logFile: join(this.folder, `${name}.${module}.log`),
            placement: running.busy?.placement,
          });
        running.spawners.set(module, spawn);
        running.processes.set(module, await spawn());
      }
    }
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), STARTUP_TIMEOUT_MS).unref(),
    );
    if ((await Promise.race([allStarted, timeout])) === 'timeout') {
      const missing = names
        .flatMap((name) => services.map((module) => `${name}.${module}`))
        .filter((key) => !started.has(key));
      throw new Error(
        `services did not start within ${STARTUP_TIMEOUT_MS / 1000} s: ${missing.join(', ')} (logs in ${this.folder})`,
      );
    }
    for (const name of names) {
      const running = this.nodes.get(name)!;
      running.joinedAtMs = Date.now();
      // Loaded only now: a starved cgroup would make the services' start-up ten times slower.
      await running.busy?.start();
    }
  }

  /** Each node's services: flow discovery too when the lab runs the whole suite. */
  private services(): readonly NodeService[] {
    return this.options.suite ? [...MODULES, 'flow-discovery'] : MODULES;
  }

  private serviceEnv(
    node: LabNode,
    members: readonly string[],
    joining: boolean,
  ): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
      MESHMON_NODE: node.name,
      MESHMON_CLUSTER: this.subjects.cluster,
      MESHMON_NATS_URL: this.servers.natsUrl,
      MESHMON_REDIS_URL: this.servers.redisUrl,
      MESHMON_REDIS_USERNAME: this.credentials.redisUsername,
      MESHMON_REDIS_PASSWORD_FILE: this.credentials.redisPasswordFile,
      MESHMON_ORCHESTRATOR: 'lab',
      MESHMON_ALGORITHM: this.options.algorithm ?? 'none',
      MESHMON_MEMBERS: members.join(','),
      MESHMON_JOINING: String(joining),
      MESHMON_ADDRESS: node.address,
      MESHMON_PROBE_SECONDS: String(this.options.probeSeconds),
      MESHMON_SEED: String(this.options.seed),
      // The monitor's outbox outlives its process: under the run's folder, one per node.
      MESHMON_OUTBOX_DIR: join(this.folder, 'outbox'),
      ...(this.options.suite
        ? {
            MESHMON_DISCOVERY: this.options.suite.discovery ? 'on' : 'off',
            MESHMON_INFLUX_URL: this.options.suite.influxUrl,
            ...(this.suite ? { MESHMON_GATEWAY_PORT: new URL(this.suite.gatewayUrl).port } : {}),
          }
        : {}),
      ...(Object.keys(this.options.schedulerParams).length > 0
        ? {
            MESHMON_SCHEDULER_PARAMS: formatSchedulerParams(this.options.schedulerParams).join(','),
          }
        : {}),
    };
  }
}
