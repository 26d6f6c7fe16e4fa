/**
 * `npm run compare`: the whole comparison, block after block, then the report. Every
 * group runs against the same NATS, Redis and InfluxDB (infra/local's, plain processes
 * outside every group), each block under its own cluster name, all under one run id.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname as osHostname, release, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { connectRedis } from '@meshmon/leases';
import { nodeNameFromHost } from '@meshmon/contracts';
import {
  ensureCredentials,
  giveCredentials,
  DEVELOPER_USER,
  SharedSettings,
  writeSecretFile,
  type Credentials,
} from '@meshmon/service-runtime';
import {
  developerInfluxLogin,
  developerNatsLogin,
  developerRedisLogin,
  localCredentials,
} from '@meshmon/service-runtime/credentials/local-logins.js';
import { planBlocks, plannedSeconds, type PlannedBlock } from './block-plan.js';
import { runBlock } from './block-runner.js';
import { CompareStore, COMPARE_DATABASE } from './compare-store.js';
import { ContainerOrchestration } from './deploy/container-deployment.js';
import {
  REPO,
  run as runCommand,
  type Orchestration,
  type OrchestrationName,
} from './deploy/deployment.js';
import { KubernetesOrchestration } from './deploy/kubernetes-deployment.js';
import { ProcessOrchestration } from './deploy/process-deployment.js';
import { SwarmOrchestration } from './deploy/swarm-deployment.js';
import { buildReport } from './report-builder.js';
import type { CompareReport, MachineFacts, OrchestratorStatus } from './report-types.js';
import type { Scenario } from './scenario.js';
import type { MeasuredWindow } from './window-values.js';
import { describeSuite, stackSecretFiles } from './suite-description.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';

export interface Output {
  readonly say: (line: string) => void;
}

const ORCHESTRATIONS: Record<OrchestrationName, () => Orchestration> = {
  process: () => new ProcessOrchestration(),
  container: () => new ContainerOrchestration(),
  swarm: () => new SwarmOrchestration(),
  kubernetes: () => new KubernetesOrchestration(),
};

/** The shared servers: MESHMON_NATS_URL, _REDIS_URL, _INFLUX_URL, else infra/local's defaults. */
function infraUrls() {
  return {
    nats: process.env.MESHMON_NATS_URL ?? 'nats://127.0.0.1:4222',
    redis: process.env.MESHMON_REDIS_URL ?? 'redis://127.0.0.1:6379',
    influx: process.env.MESHMON_INFLUX_URL ?? 'http://127.0.0.1:8086',
  };
}

function machineFacts(): MachineFacts {
  return {
    cores: availableParallelism(),
    memoryMiB: totalmem() / 1024 / 1024,
    kernel: release(),
    cgroupVersion: existsSync('/sys/fs/cgroup/cgroup.controllers')
      ? 2
      : existsSync('/sys/fs/cgroup/cpuacct')
        ? 1
        : null,
  };
}

/** `cmp-<yymmddhhmm>-<4 random>`: sortable, and short enough for per-block cluster names. */
function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(2, 12);
  return `cmp-${stamp}-${randomBytes(2).toString('hex')}`;
}

export async function writeReport(report: CompareReport, folder: string): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  const files = {
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'report.md': renderMarkdown(report),
    'report.html': renderHtml(report),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return Object.keys(files).map((name) => join(folder, name));
}

export async function runComparison(
  requested: readonly OrchestrationName[],
  scenario: Scenario,
  outFolder: string | null,
  output: Output,
  signal: AbortSignal,
): Promise<CompareReport> {
  const { say } = output;
  const run = newRunId();
  const folder = outFolder ?? join(REPO, '.compare', run);
  mkdirSync(folder, { recursive: true });
  const urls = infraUrls();
  if (!process.env.MESHMON_NATS_URL) {
    say('infra: NATS, Redis and InfluxDB of infra/local (infra/local/start.sh, idempotent)');
    await runCommand('bash', [join(REPO, 'infra/local/start.sh')], {
      timeoutMs: 600_000,
      cwd: REPO,
    });
  }
  const statuses: OrchestratorStatus[] = [];
  const usable: Orchestration[] = [];
  for (const name of requested) {
    const orchestration = ORCHESTRATIONS[name]();
    const reason = await orchestration.unavailable();
    statuses.push({ name, status: reason === null ? 'compared' : 'skipped', reason });
    if (reason === null) usable.push(orchestration);
    else say(`${name}: skipped: ${reason}`);
  }
  if (usable.length === 0) throw new Error('no orchestrator can run here (see the reasons above)');
  const store = new CompareStore(
    urls.influx,
    undefined,
    developerInfluxLogin(localCredentials(REPO)),
  );
  await store.ensureDatabase();
  const startedAtMs = Date.now();
  await store.saveRun({
    run,
    startedAtMs,
    scenario,
    machine: machineFacts(),
    orchestrators: statuses,
  });
  const plan = planBlocks(
    usable.map((orchestration) => orchestration.name),
    scenario,
  );
  say(
    `run ${run}: ${plan.length} blocks in the order ${plan.map((b) => b.orchestrator).join(', ')}; ${scenario.windows} windows of ${scenario.windowSeconds} s per orchestrator; report in ${folder}`,
  );
  const measured: MeasuredWindow[] = [];
  let nats: NatsConnection | null = null;
  let redis: Redis | null = null;
  try {
    for (const orchestration of usable) await orchestration.prepare(say);
    // The comparison's servers are infra/local's (or whichever MESHMON_*_URL names, with
    // MESHMON_CREDENTIALS_DIR for their logins): it reads and publishes as their developer.
    const servers = localCredentials(REPO);
    nats = await connect({
      servers: urls.nats,
      name: `meshmon-compare-${run}`,
      ...developerNatsLogin(servers),
    });
    redis = await connectRedis(urls.redis, {
      connectionName: `meshmon-compare-${run}`,
      redis: developerRedisLogin(servers),
    });
    const host = nodeNameFromHost(osHostname()).slice(0, 63) || 'host';
    // The run's own secrets, the same in every group, owned by the user the services run as
    // (1000:1000 reads its own files): the gateway's token its own, the servers' logins
    // (NATS seeds, Redis's password) copies of the servers' own.
    if (servers) copyServerLogins(servers, join(folder, 'credentials'));
    const credentials = ensureCredentials(join(folder, 'credentials'));
    const gateway = describeSuite(REPO, {}).find((spec) => spec.name === 'gateway');
    const [uid, gid] = (gateway?.user ?? '').split(':').map(Number);
    if (Number.isInteger(uid) && Number.isInteger(gid)) giveCredentials(credentials, uid, gid);
    const secretFiles = stackSecretFiles(REPO, credentials.folder);
    const done = new Map<string, number>();
    for (const [position, planned] of plan.entries()) {
      const orchestration = usable.find((o) => o.name === planned.orchestrator)!;
      const blockName = `${run}-b${position + 1}`;
      const blockFolder = join(folder, `b${position + 1}-${planned.orchestrator}`);
      mkdirSync(blockFolder, { recursive: true });
      const before = done.get(planned.orchestrator) ?? 0;
      signal.throwIfAborted();
      const windows = await runBlock(
        orchestration,
        {
          plan: planned,
          context: blockContext(
            blockName,
            blockFolder,
            planned,
            scenario,
            run,
            urls,
            host,
            secretFiles,
          ),
          cluster: blockName,
          run,
          windowsBefore: before,
          totalWindows: scenario.windows,
        },
        {
          nats,
          redis,
          store,
          scenario,
          say,
          laterSeconds: plannedSeconds(plan.slice(position + 1), scenario),
          signal,
        },
      );
      measured.push(...windows);
      done.set(planned.orchestrator, before + planned.windows);
    }
  } finally {
    for (const orchestration of usable) {
      await orchestration
        .finish(say)
        .catch((error: unknown) => say(`${orchestration.name}: finish: ${String(error)}`));
    }
    await nats?.close();
    redis?.disconnect();
  }
  const report = await buildReport(store, run, measured);
  for (const file of await writeReport(report, folder)) say(`report: ${file}`);
  return report;
}

function blockContext(
  name: string,
  folder: string,
  planned: PlannedBlock,
  scenario: Scenario,
  run: string,
  urls: ReturnType<typeof infraUrls>,
  hostname: string,
  secretFiles: Readonly<Record<string, string>>,
) {
  const variables = {
    MESHMON_IMAGE: 'meshmon:latest',
    MESHMON_AGENTS: String(scenario.nodes),
    MESHMON_INFRA_ADDRESS: new URL(urls.nats).hostname,
    MESHMON_NATS_PORT: String(SharedSettings.portOf(urls.nats)),
    MESHMON_REDIS_PORT: String(SharedSettings.portOf(urls.redis)),
    MESHMON_INFLUX_PORT: String(SharedSettings.portOf(urls.influx)),
    // Off the lab's 8080; the one-machine health ports are 94N1-94N4 and 9405.
    MESHMON_GATEWAY_PORT: '18480',
  };
  return {
    repo: REPO,
    name,
    // The stack's services, with the run's secret files where swarm/ names its own.
    suite: describeSuite(REPO, variables).map((spec) => ({
      ...spec,
      secrets: spec.secrets.map((secret) => ({
        ...secret,
        source: secretFiles[secret.name] ?? secret.source,
      })),
    })),
    overrides: {
      MESHMON_CLUSTER: name,
      MESHMON_RUN: run,
      MESHMON_ORCHESTRATOR: planned.orchestrator,
      MESHMON_SAMPLE_SECONDS: String(scenario.sampleSeconds),
      MESHMON_ALGORITHM: scenario.algorithm,
      MESHMON_PROBE_SECONDS: String(scenario.probeSeconds),
      MESHMON_INFLUX_DATABASE: COMPARE_DATABASE,
      // The stack names its writer and reader; infra/local's InfluxDB has the developer.
      ...(localCredentials(REPO)?.developer ? { MESHMON_INFLUX_USERNAME: DEVELOPER_USER } : {}),
    },
    variables,
    nodes: scenario.nodes,
    hostname,
    folder,
    image: 'meshmon:latest',
    secretFiles,
  };
}

/** --report-only: the report of an earlier run, from InfluxDB alone. */
export async function rebuildReport(
  run: string,
  outFolder: string | null,
  output: Output,
): Promise<CompareReport> {
  const store = new CompareStore(
    infraUrls().influx,
    undefined,
    developerInfluxLogin(localCredentials(REPO)),
  );
  const report = await buildReport(store, run);
  for (const file of await writeReport(report, outFolder ?? join(REPO, '.compare', run))) {
    output.say(`report: ${file}`);
  }
  return report;
}

/**
 * Copies the servers' logins the services need (each NATS seed, Redis's password) into the
 * run's credentials folder, where they can be handed to the services' user without
 * touching the servers' own folder. Always the servers' current ones: a copy left by an
 * earlier run into the same folder is replaced.
 */
function copyServerLogins(servers: Credentials, folder: string): void {
  const copies: [string, string][] = [
    servers.redisPasswordFile,
    ...Object.values(servers.natsSeedFiles),
  ].map((file) => [file, basename(file)]);
  // On infra/local's InfluxDB the sink and the gateway log in as the developer (its admin):
  // the stack's writer and reader files get the developer's password.
  const influx = servers.developer?.influxPasswordFile;
  if (influx) {
    copies.push([influx, basename(servers.influxWriter.passwordFile)]);
    copies.push([influx, basename(servers.influxReader.passwordFile)]);
  }
  for (const [file, name] of copies) {
    rmSync(join(folder, name), { force: true });
    writeSecretFile(folder, name, readFileSync(file, 'utf8'));
  }
}
