import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { storedResults, type StoredResult } from '@meshmon/influx-store';
import { readResultsLedger, schedulerConfigForProbe, type LedgerEntry } from '@meshmon/node-agent';
import {
  mergeSchedulerConfig,
  schedulerOverrides,
  type SchedulerParams,
} from '@meshmon/scheduling';
import { ensureCredentials } from '@meshmon/service-runtime';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { FlakyTcpProxy } from '@meshmon/service-runtime/testing/flaky-tcp-proxy.js';
import { LabCluster } from '../cluster/lab-cluster.js';
import type { ObservedEvent } from '../cluster/lab-observer.js';
import { startThroughGateway } from '../cli/run-lab.js';
import { ensureServicesBuilt } from '../infra/service-build.js';
import { ProvisionedInfluxd, influxSecretsFolder } from '../infra/provisioned-influxd.js';
import { LabNetwork } from '../network/lab-network.js';
import { balanceBooks, type Books, type FaultWindow } from './chaos-books.js';
import { Flood } from './chaos-flood.js';
import { planFaults, SLOW_INFLUX_DELAY_MS, type FaultName, type FaultPlan } from './chaos-plan.js';
import type { ChaosArgs } from './chaos-args.js';

export interface ChaosIo {
  readonly repo: string;
  /** Live progress (one line, overwritten on a terminal). */
  readonly progress: (line: string) => void;
  /** A line that stays: where the credentials are, a fault's outcome. */
  readonly announce: (line: string) => void;
  /** Registers the teardown to run on Ctrl-C or a crash as well as at the end. */
  readonly onCleanup: (cleanup: () => Promise<void>) => void;
}

export interface ChaosOutcome {
  readonly books: Books;
  readonly plans: readonly FaultPlan[];
  readonly runId: string;
  /** What the valid flood replayed: the suite's normal message rate, per second. */
  readonly normalRate: number;
}

const DATABASE = 'meshmon';
/** Seconds the suite's normal traffic is listened to, for the valid flood to replay. */
const CAPTURE_SECONDS = 10;
/** The next grant must come within this; a suite that grants nothing is broken already. */
const GRANT_TIMEOUT_MS = 120_000;
const POLL_MS = 1000;

/**
 * The fault suite: the whole suite on a lab (its own NATS, Redis and InfluxDB, the last
 * started by the deployments' entrypoint with authentication on and reached by the sink
 * through a proxy that can slow it), the algorithm started through the gateway, then each
 * fault in turn, injected while a measurement runs, lifted, and waited out until the suite
 * has recovered (chaos-plan.ts says what that means and how soon). At the end the sink
 * drains, and the monitors' own books are balanced against InfluxDB.
 */
export async function runChaos(args: ChaosArgs, io: ChaosIo): Promise<ChaosOutcome> {
  await LabNetwork.cleanupStale();
  if ((await ensureServicesBuilt(io.repo)) === 'built') io.progress('services compiled');
  const runId = `c${randomBytes(2).toString('hex')}`;
  const folder = join(io.repo, '.lab', runId);
  const credentials = ensureCredentials(join(folder, 'credentials'));
  io.announce(`run ${runId}: logs and credentials in ${folder}/`);

  const influxd = new ProvisionedInfluxd({
    repo: io.repo,
    folder: join(folder, 'influxdb'),
    secrets: influxSecretsFolder(join(folder, 'influxdb-secrets'), credentials),
    port: await freePort(),
    rpcPort: await freePort(),
    database: DATABASE,
  });
  let proxy: FlakyTcpProxy | null = null;
  let cluster: LabCluster | null = null;
  const teardown = async () => {
    await cluster?.stop();
    await proxy?.close().catch(() => undefined);
    await influxd.stop().catch(() => undefined);
  };
  io.onCleanup(teardown);

  const params: SchedulerParams = args.quick
    ? // Short enough that a node cut off "longer than the liveness interval" stays a short run.
      { livenessIntervalMs: 4000, livenessIntervalPerMemberMs: 250, ...args.params }
    : args.params;
  const config = mergeSchedulerConfig(
    schedulerConfigForProbe(args.probeSeconds),
    schedulerOverrides(params),
  );
  const plans = planFaults({ nodes: args.nodes, quick: args.quick, config }).filter(
    (plan) => args.faults === null || args.faults.includes(plan.fault),
  );
  const windows: FaultWindow[] = [];
  let normalRate: number;
  let startedAtMs: number;
  try {
    io.progress('starting InfluxDB (authentication on, provisioned by its entrypoint)');
    await influxd.start();
    proxy = await FlakyTcpProxy.start({ host: '127.0.0.1', port: influxd.options.port });
    const names = Array.from({ length: args.nodes }, (_, i) => `n${i + 1}`);
    io.progress(`starting ${args.nodes} nodes and the suite`);
    cluster = await LabCluster.start(
      {
        repo: io.repo,
        runId,
        algorithm: null,
        probeSeconds: args.probeSeconds,
        linkRate: '500mbit',
        slowNodes: new Map(),
        busyNodes: new Set(),
        schedulerParams: params,
        seed: args.seed,
        suite: {
          gatewayPort: 0,
          influxUrl: influxd.url,
          influxDatabase: DATABASE,
          discovery: false,
          influxLogins: { writer: credentials.influxWriter, reader: credentials.influxReader },
          sinkInfluxUrl: `http://127.0.0.1:${proxy.port}`,
        },
      },
      names,
    );
    const lab = cluster;
    const runOf = await startThroughGateway(lab.gateway!, { algorithm: args.algorithm, params });
    startedAtMs = Date.now();
    io.announce(
      `${args.algorithm} started through the gateway (run ${runOf}); ${plans.length} faults to go`,
    );

    const books = new Bookkeeper(lab, influxd, credentials.influxReader, join(folder, 'outbox'));
    await books.waitForRecovery(startedAtMs, null, GRANT_TIMEOUT_MS, () => true);
    io.progress(
      `listening to the suite's traffic for ${CAPTURE_SECONDS} s (the valid flood replays it)`,
    );
    const flood = await Flood.capture(lab, CAPTURE_SECONDS);
    normalRate = flood.normalRate;

    for (const [index, plan] of plans.entries()) {
      const label = `[${index + 1}/${plans.length} ${plan.fault}]`;
      io.progress(`${label} waiting for a measurement to start`);
      const grant = await nextGrant(lab, GRANT_TIMEOUT_MS);
      // Mid-probe: the grant's monitor is now starting its probe. A suite an earlier fault
      // left granting nothing gets the fault anyway, on the first two nodes, and says so.
      if (grant) await sleep((args.probeSeconds * 1000) / 2);
      else
        io.announce(
          `${label} no measurement granted in ${GRANT_TIMEOUT_MS / 1000} s: injected anyway`,
        );
      const target = grant
        ? { monitor: String(grant.fields.monitor), sensor: String(grant.fields.sensor) }
        : { monitor: names[0], sensor: names[1] };
      const injectedAtMs = Date.now();
      const lift = await inject(plan.fault, lab, {
        target,
        influxd,
        proxy,
        flood,
        hold: plan.holdSeconds,
      });
      if (plan.holdSeconds > 0) {
        io.progress(`${label} holding for ${plan.holdSeconds} s`);
        await sleep(plan.holdSeconds * 1000);
      }
      await lift();
      const liftedAtMs = Date.now();
      io.progress(`${label} lifted; waiting for recovery (bound ${plan.boundSeconds} s)`);
      const node = nodeOf(plan.fault, target);
      const recoveredAtMs = await books.waitForRecovery(
        liftedAtMs,
        node,
        plan.boundSeconds * 1000,
        plan.fault === 'gateway-killed' ? () => gatewayAnswers(lab) : () => true,
      );
      windows.push({
        fault: plan.fault,
        injectedAtMs,
        liftedAtMs,
        recoveredAtMs,
        boundSeconds: plan.boundSeconds,
      });
      const after =
        recoveredAtMs === null
          ? `NOT recovered within ${plan.boundSeconds} s`
          : `recovered ${((recoveredAtMs - liftedAtMs) / 1000).toFixed(1)} s after the lift`;
      io.announce(`${label}${node ? ` on ${node}` : ''}: ${after}`);
    }
  } finally {
    // The sink drains what is still in the streams before it stops (LabSuite.stop).
    await cluster?.stop();
    cluster = null;
  }
  try {
    const stored = await storedResults(influxd.url, DATABASE, credentials.influxReader);
    const produced = readLedgers(join(folder, 'outbox'));
    return {
      books: balanceBooks({ windows, produced, stored, startedAtMs }),
      plans,
      runId,
      normalRate,
    };
  } finally {
    await teardown();
  }
}

/** Injects one fault; returns how to lift it. */
async function inject(
  fault: FaultName,
  lab: LabCluster,
  context: {
    target: { monitor: string; sensor: string };
    influxd: ProvisionedInfluxd;
    proxy: FlakyTcpProxy;
    flood: Flood;
    hold: number;
  },
): Promise<() => Promise<void>> {
  const { target, influxd, proxy, flood } = context;
  switch (fault) {
    case 'monitor-killed':
      lab.kill(target.monitor, 'monitor');
      return () => lab.restart(target.monitor, 'monitor');
    case 'sensor-killed':
      lab.kill(target.sensor, 'sensor');
      return () => lab.restart(target.sensor, 'sensor');
    case 'controller-killed':
      lab.kill(target.monitor, 'controller');
      return () => lab.restart(target.monitor, 'controller');
    case 'result-sink-killed':
      lab.killSuite('result-sink');
      return () => lab.restartSuite('result-sink');
    case 'gateway-killed':
      lab.killSuite('gateway');
      return () => lab.restartSuite('gateway');
    case 'nats-restarted':
      await lab.restartServer('nats');
      return async () => undefined;
    case 'redis-restarted':
      await lab.restartServer('redis');
      return async () => undefined;
    case 'influxdb-stopped':
      await influxd.stop();
      return () => influxd.start();
    case 'node-cut-off':
      await lab.setConnected(target.monitor, false);
      return () => lab.setConnected(target.monitor, true);
    case 'flood-valid':
    case 'flood-malformed': {
      // The flood is the fault's whole duration; the hold that follows is then nothing.
      const kind = fault === 'flood-valid' ? 'valid' : 'malformed';
      const sending = flood.run(kind, context.hold);
      return async () => {
        await sending;
      };
    }
    case 'influxdb-slow':
      proxy.delay(SLOW_INFLUX_DELAY_MS);
      return async () => proxy.delay(0);
  }
}

/** The node a fault hit, whose own measurements show it is back; null for cluster-wide faults. */
function nodeOf(fault: FaultName, target: { monitor: string; sensor: string }): string | null {
  switch (fault) {
    case 'monitor-killed':
    case 'controller-killed':
    case 'node-cut-off':
      return target.monitor;
    case 'sensor-killed':
      return target.sensor;
    default:
      return null;
  }
}

/** Reads what InfluxDB and the monitors' ledgers say, to tell when the suite has recovered. */
class Bookkeeper {
  constructor(
    private readonly lab: LabCluster,
    private readonly influxd: ProvisionedInfluxd,
    private readonly reader: { username: string; password: string },
    private readonly outbox: string,
  ) {}

  /**
   * Resolves with the moment the suite was back: a good result that started at or after
   * `sinceMs` (one of `node`'s, when given) is stored, every result the monitors counted is
   * stored, and `ready` holds. Null when that did not happen within `boundMs`.
   */
  async waitForRecovery(
    sinceMs: number,
    node: string | null,
    boundMs: number,
    ready: () => boolean | Promise<boolean>,
  ): Promise<number | null> {
    const deadline = sinceMs + boundMs;
    for (let round = 0; round < 100_000 && Date.now() <= deadline; round += 1) {
      const checkedAt = Date.now();
      const stored = await this.stored();
      if (stored && this.isBack(stored, sinceMs, node) && (await ready())) return checkedAt;
      await sleep(POLL_MS);
    }
    return null;
  }

  private isBack(stored: readonly StoredResult[], sinceMs: number, node: string | null): boolean {
    const fresh = stored.some(
      (result) =>
        result.ok &&
        result.startedAtMs >= sinceMs &&
        (node === null || result.monitor === node || result.sensor === node),
    );
    if (!fresh) return false;
    const ids = new Set(stored.map((result) => result.measurementId));
    return readLedgers(this.outbox).every((entry) => ids.has(entry.measurementId));
  }

  /** Null while InfluxDB cannot answer (it may be the fault). */
  private async stored(): Promise<StoredResult[] | null> {
    if (!this.influxd.running) return null;
    return storedResults(this.influxd.url, DATABASE, this.reader).catch(() => null);
  }
}

/** Every node's ledger under the run's outbox folder (one folder per node). */
function readLedgers(outbox: string): LedgerEntry[] {
  if (!existsSync(outbox)) return [];
  return readdirSync(outbox).flatMap((node) => readResultsLedger(join(outbox, node)).entries);
}

/** The next slot-granted event from now on; null when none came within `timeoutMs`. */
function nextGrant(lab: LabCluster, timeoutMs: number): Promise<ObservedEvent | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(null);
    }, timeoutMs);
    const stop = lab.observer.onEvent((event) => {
      if (event.type !== 'slot-granted') return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

async function gatewayAnswers(lab: LabCluster): Promise<boolean> {
  const gateway = lab.gateway!;
  try {
    const response = await fetch(`${gateway.url}/api/v1/nodes`, {
      headers: { authorization: `Bearer ${gateway.token}` },
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
