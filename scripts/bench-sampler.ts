// The instrument checked against the kernel (issue 15): one result sink in a container of
// the suite's image (no health check, so nothing else runs in its cgroup), kept busy by a
// steady stream of results, sampling itself every second. Each sample holds both the
// process's own figures (process.cpuUsage, RssAnon) and its cgroup's (cpuacct / cpu.stat,
// memory.stat anon), read at the same moment: the script prints how far they agree, per
// interval and over the whole run. Needs Docker (installed and started as for the Swarm
// test) and infra/local's NATS and InfluxDB.
//   npm run bench:sampler -- [--seconds 60] [--rate 300]
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { decodeResourceSample, Subjects, type ResourceSample } from '@meshmon/contracts';
import { DEVELOPER_USER, ensureResultsStream, writeSecretFile } from '@meshmon/service-runtime';
import { finishDocker, prepareDocker } from '../apps/compare/src/compare/deploy/docker-setup.js';
import {
  deleteStreams,
  dropDatabase,
  INFLUX_URL,
  NATS_URL,
  publishResults,
  uniqueSuffix,
} from '../test/sink/sink-harness.js';
import {
  developerNatsLogin,
  localCredentials,
} from '@meshmon/service-runtime/credentials/local-logins.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, rate: { type: 'string', default: '300' } },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
if (!Number.isInteger(seconds) || seconds < 10 || seconds > 3600) {
  throw new Error(`--seconds must be a whole number from 10 to 3600 (got "${values.seconds}")`);
}
if (!Number.isInteger(rate) || rate < 0 || rate > 10_000) {
  throw new Error(
    `--rate must be a whole number of results per second, 0-10000 (got "${values.rate}")`,
  );
}

const say = (line: string) => process.stdout.write(`bench-sampler: ${line}\n`);
const suffix = uniqueSuffix();
const cluster = `bsampler-${suffix}`.slice(0, 32);
const database = `bench_sampler_${suffix}`;
const container = `meshmon-bench-sampler-${suffix}`;
const subjects = new Subjects(cluster);

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)} %`;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

function summary(name: string, deviations: number[]): string {
  const abs = deviations.map(Math.abs).sort((a, b) => a - b);
  const mean = abs.reduce((sum, value) => sum + value, 0) / abs.length;
  return `${name}: n ${abs.length}, mean |dev| ${percent(mean)}, p95 ${percent(quantile(abs, 0.95))}, max ${percent(abs[abs.length - 1])}`;
}

async function main(): Promise<void> {
  execFileSync('bash', ['infra/local/start.sh'], { stdio: 'ignore' });
  await prepareDocker(say);
  const nats = await connect({ servers: NATS_URL, ...developerNatsLogin() });
  await ensureResultsStream(nats, subjects);
  const samples: ResourceSample[] = [];
  nats.subscribe(subjects.samples('result-sink', 'bench'), {
    callback: (_error, message) => {
      const decoded = decodeResourceSample(message.data);
      if (decoded.ok) samples.push(decoded.value);
    },
  });
  const natsPort = new URL(NATS_URL).port || '4222';
  const login = sinkLogin();
  const influx = new URL(INFLUX_URL);
  try {
    execFileSync('docker', [
      'run',
      '--detach',
      '--name',
      container,
      '--network',
      'host',
      '--user',
      '1000:1000',
      '--cap-drop',
      'ALL',
      '--no-healthcheck',
      '--cpus',
      '1',
      '--memory',
      '512m',
      '--env',
      `MESHMON_CLUSTER=${cluster}`,
      '--env',
      `MESHMON_NATS_URL=nats://127.0.0.1:${natsPort}`,
      '--env',
      `MESHMON_INFLUX_URL=http://127.0.0.1:${influx.port || '8086'}`,
      '--env',
      `MESHMON_INFLUX_DATABASE=${database}`,
      '--env',
      'MESHMON_SINK_NAME=bench',
      '--env',
      'MESHMON_SAMPLE_SECONDS=1',
      '--env',
      'MESHMON_ORCHESTRATOR=container',
      ...login.args,
      'meshmon:latest',
      'result-sink',
    ]);
    say(`result sink in container ${container}; ${rate} results/s for ${seconds} s`);
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate);
      if (due > sent) {
        await publishResults(nats, subjects, sent, due);
        sent = due;
      }
      await sleep(100);
    }
    await sleep(1500);
  } finally {
    login.remove();
    try {
      execFileSync('docker', ['rm', '--force', container], { stdio: 'ignore' });
    } catch {
      // Never made (docker run failed first): nothing to remove.
    }
    await deleteStreams(nats, [
      subjects.resultsStream,
      subjects.eventsStream,
      subjects.samplesStream,
      subjects.deadLetterStream,
    ]).catch(() => undefined);
    await dropDatabase(INFLUX_URL, database).catch(() => undefined);
    await nats.close();
    await finishDocker(say);
  }
  const usable = samples.filter(
    (s) => s.cgroup?.exclusive === true && s.cgroup.cpuUsageNs !== null,
  );
  say(
    `${samples.length} samples, ${usable.length} with the cgroup the sink's own (cgroup v${samples[0]?.cgroup?.version ?? '?'})`,
  );
  if (usable.length < 3) throw new Error('too few samples with an exclusive cgroup to compare');
  const cpu: number[] = [];
  for (let i = 1; i < usable.length; i += 1) {
    const [a, b] = [usable[i - 1], usable[i]];
    const self =
      (b.process.cpuUserUs + b.process.cpuSystemUs - a.process.cpuUserUs - a.process.cpuSystemUs) *
      1000;
    const group = b.cgroup!.cpuUsageNs! - a.cgroup!.cpuUsageNs!;
    if (group > 0) cpu.push((self - group) / group);
  }
  const [first, last] = [usable[0], usable[usable.length - 1]];
  const selfTotal =
    (last.process.cpuUserUs +
      last.process.cpuSystemUs -
      first.process.cpuUserUs -
      first.process.cpuSystemUs) *
    1000;
  const groupTotal = last.cgroup!.cpuUsageNs! - first.cgroup!.cpuUsageNs!;
  const memory = usable
    .filter((s) => s.process.rssAnonBytes !== null && s.cgroup!.memoryAnonBytes)
    .map(
      (s) => (s.process.rssAnonBytes! - s.cgroup!.memoryAnonBytes!) / s.cgroup!.memoryAnonBytes!,
    );
  const busy = groupTotal / 1e9 / ((last.atMs - first.atMs) / 1000);
  say(`the sink used ${percent(busy)} of a core on average`);
  say(summary('CPU per 1 s interval (process.cpuUsage against the cgroup)', cpu));
  say(
    `CPU over the whole run: process ${(selfTotal / 1e9).toFixed(3)} s, cgroup ${(groupTotal / 1e9).toFixed(3)} s, deviation ${percent((selfTotal - groupTotal) / groupTotal)}`,
  );
  say(summary('anonymous memory per sample (RssAnon against memory.stat anon)', memory));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench-sampler: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});

/**
 * The sink's NATS login in the container: a copy of infra/local's seed for the sink, owned
 * by the container's user (1000) and mounted read-only; none where NATS has no users.
 */
function sinkLogin(): { args: string[]; remove: () => void } {
  const credentials = localCredentials();
  if (!credentials) return { args: [], remove: () => undefined };
  const folder = mkdtempSync(join(tmpdir(), 'bench-sampler-login-'));
  const copy = writeSecretFile(
    folder,
    'nkey',
    readFileSync(credentials.natsSeedFiles['result-sink'], 'utf8'),
  );
  const developer = credentials.developer;
  const influx = developer
    ? writeSecretFile(folder, 'influx', readFileSync(developer.influxPasswordFile, 'utf8'))
    : null;
  chownSync(folder, 1000, 1000);
  chownSync(copy, 1000, 1000);
  if (influx) chownSync(influx, 1000, 1000);
  return {
    args: [
      '--volume',
      `${copy}:/run/secrets/meshmon-nats-nkey:ro`,
      '--env',
      'MESHMON_NATS_NKEY_FILE=/run/secrets/meshmon-nats-nkey',
      ...(influx
        ? [
            '--volume',
            `${influx}:/run/secrets/meshmon-influx-password:ro`,
            '--env',
            `MESHMON_INFLUX_USERNAME=${DEVELOPER_USER}`,
            '--env',
            'MESHMON_INFLUX_PASSWORD_FILE=/run/secrets/meshmon-influx-password',
          ]
        : []),
    ],
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
