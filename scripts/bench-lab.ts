// Lab benchmark (issue 3): for N = 4, 6, 8 nodes with 2 s probes, runs a CPS lab until
// full coverage and prints the mean event overhead, the scheduler services' CPU and
// memory, and the time to full coverage against the floor and the simulator.
// Usage: npm run bench:lab -- [--nodes 4,6,8] [--algorithm cps] [--probe-seconds 2] [--max-seconds 300]
import { fileURLToPath } from 'node:url';
import { isAlgorithmName, type AlgorithmName } from '@meshmon/scheduling';
import { SERVICE_NAMES } from '@meshmon/contracts';
import { DEFAULT_INFLUX_URL, DEFAULT_LINK_RATE } from '../apps/lab/src/cli/lab-args.js';
import { runLab } from '../apps/lab/src/cli/run-lab.js';
import { onExitCleanup } from '../apps/lab/src/network/cleanup-on-exit.js';
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
const LINK_RATE = DEFAULT_LINK_RATE;

const coverageRows: string[][] = [];
const processRows: string[][] = [];
for (const nodes of nodeCounts) {
  let sampler: ProcessSampler | null = null;
  let sampling: NodeJS.Timeout | undefined;
  const { report, prediction } = await runLab(
    {
      nodes,
      algorithm,
      durationSeconds: maxSeconds,
      probeSeconds,
      linkRate: LINK_RATE,
      slowNodes: new Map(),
      busyNodes: new Set(),
      joins: [],
      untilCovered: true,
      eventsOut: null,
      json: false,
      seed: 1,
      params: {},
      // The whole suite, as the lab runs it: sink, gateway and flow discovery are measured too.
      suite: {
        gatewayPort: 0,
        influxUrl: DEFAULT_INFLUX_URL,
        influxDatabase: 'meshmon_bench',
        discovery: false,
      },
    },
    {
      repo,
      progress: (line) => process.stderr.write(`\rN=${nodes}: ${line}\x1b[K`),
      onCleanup: (cleanup) => onExitCleanup(`lab cluster of ${nodes}`, cleanup),
      onStarted: (cluster) => {
        const running = new ProcessSampler(() =>
          cluster.pids().map(({ node, module, pid }) => ({ key: `${node}.${module}`, pid })),
        );
        running.tick();
        sampling = setInterval(() => running.tick(), 1000);
        sampler = running;
      },
    },
  );
  clearInterval(sampling);
  process.stderr.write('\n');
  const ratio =
    report.fullCoverageSeconds !== null && prediction?.fullCoverageSeconds
      ? (report.fullCoverageSeconds / prediction.fullCoverageSeconds).toFixed(2)
      : '-';
  coverageRows.push([
    String(nodes),
    report.fullCoverageSeconds === null ? 'not reached' : report.fullCoverageSeconds.toFixed(1),
    report.floorSeconds.toFixed(1),
    prediction?.fullCoverageSeconds?.toFixed(1) ?? '-',
    ratio,
    report.meanEventOverheadSeconds?.toFixed(3) ?? '-',
    String(report.measurements),
    String(report.conflicts),
  ]);
  const figures = (sampler as ProcessSampler | null)?.figures() ?? [];
  for (const module of SERVICE_NAMES) {
    const mine = figures.filter((f) => f.key.endsWith(`.${module}`));
    if (mine.length === 0) continue;
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

console.log(`lab, ${algorithm}, ${probeSeconds} s probes, ${LINK_RATE} links, until full coverage`);
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
console.log('\nservices (CPU: share of one core over the run; RSS: peak resident)');
console.log(
  formatTable(
    ['N', 'service', 'CPU % mean', 'CPU % max', 'RSS MB mean', 'RSS MB max'],
    processRows,
  ),
);
