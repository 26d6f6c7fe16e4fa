// Result sink benchmark (issue 4): pre-fills JetStream with realistic results of a fresh
// cluster, then for each batch size runs the sink as a child process (its own durable
// consumer and database, so every run reads the whole backlog) and measures how fast the
// results arrive in InfluxDB (counted there, not by acks), the sink's peak RSS, and that
// exactly every published result was stored once. Cleans up databases and streams.
// Usage: npm run bench:sink -- [--results 200000] [--batches 500,1000,5000] [--built]
//   --built runs dist/apps/result-sink/src/main.js under node (npm run build first);
//   otherwise the sources under tsx.
import { connect } from '@nats-io/transport-node';
import { Subjects } from '@meshmon/contracts';
import { MEASUREMENTS } from '@meshmon/influx-store';
import { ensureEventsStream, ensureResultsStream } from '@meshmon/service-runtime';
import { formatTable } from '../apps/simulator/src/cli/thesis-comparison.js';
import { expectedPoints } from '../test/sink/sink-fixtures.js';
import {
  countPoints,
  cpuSeconds,
  deleteStreams,
  dropDatabase,
  INFLUX_URL,
  NATS_URL,
  peakRssMiB,
  publishResults,
  spawnSink,
  stopSink,
  uniqueSuffix,
} from '../test/sink/sink-harness.js';
import { developerNatsLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const total = Number(flag('--results', '200000'));
const batchSizes = flag('--batches', '500,1000,5000').split(',').map(Number);
const built = process.argv.includes('--built');
if (
  !Number.isInteger(total) ||
  total < 1 ||
  batchSizes.some((b) => !Number.isInteger(b) || b < 1)
) {
  console.error('bench:sink: --results and --batches must be positive integers');
  process.exit(2);
}
/** Generous: at 2 000 results/s (ten times too slow) 200 000 still finish. */
const RUN_LIMIT_MS = Math.max(60_000, total / 2);

const suffix = uniqueSuffix();
const cluster = `bench-${suffix}`.slice(0, 32);
const subjects = new Subjects(cluster);
const connection = await connect({ servers: NATS_URL, ...developerNatsLogin() });
const databases: string[] = [];
const rows: string[][] = [];
let failed = false;
try {
  await ensureResultsStream(connection, subjects);
  await ensureEventsStream(connection, subjects);
  const fillStart = performance.now();
  await publishResults(connection, subjects, 0, total);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  console.log(
    `published ${total} results to ${subjects.resultsStream} in ${fillSeconds.toFixed(1)} s`,
  );
  const expected = expectedPoints(total);

  for (const batch of batchSizes) {
    const database = `bench_${suffix}_b${batch}`;
    databases.push(database);
    const sink = spawnSink(
      {
        MESHMON_CLUSTER: cluster,
        MESHMON_NATS_URL: NATS_URL,
        MESHMON_INFLUX_URL: INFLUX_URL,
        MESHMON_INFLUX_DATABASE: database,
        MESHMON_SINK_BATCH: String(batch),
        MESHMON_SINK_DURABLE: `bench-b${batch}`,
        MESHMON_SINK_NAME: 'bench-sink',
      },
      built,
      // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to see where the sink spends its time.
      (process.env.BENCH_SINK_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== ''),
    );
    const spawnedAt = performance.now();
    let firstAt = 0;
    let stored = 0;
    let peak = 0;
    const deadline = Date.now() + RUN_LIMIT_MS;
    // Bounded by the deadline; 250 ms between counts keeps the query load negligible.
    while (stored < total && Date.now() < deadline && sink.child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      peak = Math.max(peak, peakRssMiB(sink.child.pid));
      stored = await countPoints(INFLUX_URL, database, MEASUREMENTS.throughput).catch(() => 0);
      if (stored > 0 && firstAt === 0) firstAt = performance.now();
    }
    const doneAt = performance.now();
    const cpu = cpuSeconds(sink.child.pid);
    // Anything extra (a double) would show up by now too.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    peak = Math.max(peak, peakRssMiB(sink.child.pid));
    const finalCount = await countPoints(INFLUX_URL, database, MEASUREMENTS.throughput).catch(
      () => 0,
    );
    const rtt = await countPoints(INFLUX_URL, database, MEASUREMENTS.rtt).catch(() => 0);
    const code = await stopSink(sink);
    const seconds = (doneAt - firstAt) / 1000;
    const exact = finalCount === total && rtt === expected.rtt;
    failed ||= !exact;
    if (!exact) console.error(sink.output().slice(-3000));
    rows.push([
      String(batch),
      `${Math.round(finalCount / seconds)}`,
      seconds.toFixed(1),
      ((firstAt - spawnedAt) / 1000).toFixed(1),
      peak.toFixed(0),
      `${((cpu * 1e6) / total).toFixed(0)}`,
      `${finalCount} / ${total}`,
      `${rtt} / ${expected.rtt}`,
      exact ? 'yes' : 'NO',
      String(code),
    ]);
  }
} finally {
  for (const database of databases) await dropDatabase(INFLUX_URL, database).catch(() => undefined);
  await deleteStreams(connection, [
    subjects.resultsStream,
    subjects.eventsStream,
    subjects.deadLetterStream,
  ]).catch((error: unknown) => console.error(`streams not deleted: ${String(error)}`));
  await connection.close();
}

console.log(
  `\nresult sink, ${total} results pre-filled, sink ${built ? 'built (node dist/...)' : 'from sources (tsx)'} as a child process\n`,
);
console.log(
  formatTable(
    [
      'batch',
      'results/s',
      'seconds',
      'start s',
      'peak RSS MiB',
      'sink CPU µs/result',
      'throughput pts',
      'rtt pts',
      'exact',
      'exit',
    ],
    rows,
  ),
);
console.log(
  '\nresults/s: stored results (COUNT in InfluxDB) / time from the first to the last one.',
);
process.exit(failed ? 1 : 0);
