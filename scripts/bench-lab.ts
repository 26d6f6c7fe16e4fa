// Lab benchmark (issue 3): for N = 4, 6, 8 nodes with 2 s probes, runs a CPS lab until
// full coverage and prints the mean event overhead, the scheduler services' CPU and
// memory, and the time to full coverage against the floor and the simulator.
// Usage: npm run bench:lab -- [--nodes 4,6,8] [--algorithm cps] [--probe-seconds 2] [--max-seconds 300]
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isAlgorithmName, type AlgorithmName } from '@meshmon/scheduling';
import { LabCluster } from '../apps/lab/src/cluster/lab-cluster.js';
import { ensureServicesBuilt } from '../apps/lab/src/infra/service-build.js';
import { LabNetwork } from '../apps/lab/src/network/lab-network.js';
import { onExitCleanup } from '../apps/lab/src/network/cleanup-on-exit.js';
import { buildLabReport } from '../apps/lab/src/report/lab-report.js';
import { predictWithSimulator } from '../apps/lab/src/report/simulator-prediction.js';
import { formatTable } from '../apps/simulator/src/cli/thesis-comparison.js';
import { ProcessSampler } from './bench/process-sampler.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const nodeCounts = flag('--nodes', '4,6,8').split(',').map(Number);
const algorithmName = flag('--algorithm', 'cps');
const probeSeconds = Number(flag('--probe-seconds', '2'));
const maxSeconds = Number(flag('--max-seconds', '300'));
if (!isAlgorithmName(algorithmName) || nodeCounts.some((n) => !Number.isInteger(n) || n < 2)) {
  console.error(
    'bench:lab: --nodes must be a comma list of integers >= 2 and --algorithm one of rr, crs, cps, tts',
  );
  process.exit(2);
}
const algorithm: AlgorithmName = algorithmName;

await LabNetwork.cleanupStale();
await ensureServicesBuilt(repo);

const coverageRows: string[][] = [];
const processRows: string[][] = [];
for (const nodes of nodeCounts) {
  const names = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const cluster = await LabCluster.start(
    {
      repo,
      runId: randomBytes(3).toString('hex').slice(0, 5),
      algorithm,
      probeSeconds,
      linkRate: '500mbit',
      slowNodes: new Map(),
      busyNodes: new Set(),
      schedulerParams: [],
      seed: 1,
    },
    names,
  );
  onExitCleanup(`lab cluster of ${nodes}`, () => cluster.stop());
  const sampler = new ProcessSampler(() =>
    cluster.pids().map(({ node, module, pid }) => ({ key: `${node}.${module}`, pid })),
  );
  const pairs = nodes * (nodes - 1);
  const deadline = Date.now() + maxSeconds * 1000;
  for (let round = 0; round < maxSeconds + 5 && Date.now() < deadline; round += 1) {
    sampler.tick();
    const covered = new Set(
      cluster.observer.results.filter((r) => r.ok).map((r) => `${r.monitor}>${r.sensor}`),
    ).size;
    process.stderr.write(`\rN=${nodes}: ${covered}/${pairs} pairs after ${round} s   `);
    if (covered === pairs) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  sampler.tick();
  process.stderr.write('\n');
  const endedAt = Date.now();
  await cluster.stop();
  const report = buildLabReport({
    algorithm,
    probeSeconds,
    startedAtMs: cluster.startedAtMs,
    durationSeconds: (endedAt - cluster.startedAtMs) / 1000,
    nodes: names.map((name) => ({ name, joinedAtSeconds: 0, present: true })),
    results: cluster.observer.results,
    eventCounts: cluster.observer.eventCounts,
  });
  const prediction = predictWithSimulator({
    algorithm,
    nodes,
    probeSeconds,
    eventSeconds: report.meanEventSeconds ?? probeSeconds,
    params: [],
  });
  const ratio =
    report.fullCoverageSeconds !== null && prediction.fullCoverageSeconds
      ? (report.fullCoverageSeconds / prediction.fullCoverageSeconds).toFixed(2)
      : '-';
  coverageRows.push([
    String(nodes),
    report.fullCoverageSeconds === null ? 'not reached' : report.fullCoverageSeconds.toFixed(1),
    report.floorSeconds.toFixed(1),
    prediction.fullCoverageSeconds?.toFixed(1) ?? '-',
    ratio,
    report.meanEventOverheadSeconds?.toFixed(3) ?? '-',
    String(report.measurements),
    String(report.conflicts),
  ]);
  const figures = sampler.figures();
  for (const module of ['controller', 'sensor', 'monitor']) {
    const mine = figures.filter((f) => f.key.endsWith(`.${module}`));
    const cpu = mine.map((f) => f.cpuPercent);
    const rss = mine.map((f) => f.maxRssBytes / 2 ** 20);
    processRows.push([
      String(nodes),
      module,
      (cpu.reduce((a, b) => a + b, 0) / cpu.length).toFixed(2),
      Math.max(...cpu).toFixed(2),
      (rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(0),
      Math.max(...rss).toFixed(0),
    ]);
  }
}

console.log(`lab, ${algorithm}, ${probeSeconds} s probes, 500mbit links, until full coverage`);
console.log(
  formatTable(
    [
      'N',
      'full coverage s',
      'floor s',
      'simulator s',
      'lab/sim',
      'event overhead s',
      'measurements',
      'conflicts',
    ],
    coverageRows,
  ),
);
console.log('\nscheduler services (CPU: share of one core over the run; RSS: peak resident)');
console.log(
  formatTable(
    ['N', 'service', 'CPU % mean', 'CPU % max', 'RSS MB mean', 'RSS MB max'],
    processRows,
  ),
);
