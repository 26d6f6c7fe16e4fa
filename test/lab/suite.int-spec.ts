import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { MeasurementResult } from '@meshmon/contracts';
import type { LabCluster } from '../../apps/lab/src/cluster/lab-cluster.js';
import { spawnInNamespace } from '../../apps/lab/src/network/namespace-process.js';
import {
  expectDashboardShowsCluster,
  expectDashboardUpdates,
  launchChromium,
  openDashboard,
} from '../dashboard/dashboard-checks.js';
import { gatewayApi, type CoverageAnswer, type IntentAnswer } from './gateway-client.js';
import { countPoints } from '../sink/sink-harness.js';
import { OwnInfluxd } from '../sink/own-influxd.js';
import { OwnPrometheus, type PromSample } from '../support/own-prometheus.js';
import { pollUntil } from '../support/poll-until.js';
import { conflictsIn, eventually, nextResult, nodesOf, withLab } from './lab-harness.js';

// The whole suite on real namespaces: sink, gateway and flow discovery beside the node
// agents, driven through the gateway as an operator would.
jest.setTimeout(420_000);

const INFLUX_URL = process.env.MESHMON_INFLUX_URL ?? 'http://127.0.0.1:8086';
const database = (what: string) => `meshmon_test_${what}_${Date.now().toString(36)}`;

/** The next result (of any pair) that the lab sees after this call. */
function nextNewResult(cluster: LabCluster): Promise<MeasurementResult> {
  const seen = cluster.observer.results.length;
  return nextResult(
    cluster,
    (result) => result.ok && cluster.observer.results.indexOf(result) >= seen,
    30_000,
    'a new measurement',
  );
}

/** The files under `folder` (but not under `skip`) whose bytes contain `secret`. */
function filesHolding(folder: string, secret: string, skip: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || skip.some((name) => path.startsWith(join(folder, name)))) continue;
    if (readFileSync(path).includes(secret)) found.push(path);
  }
  return found;
}

describe('the whole suite in the lab', () => {
  it('CPS started through the gateway covers every pair, a manual measurement obeys the leases, the dashboard shows it live, and an InfluxDB outage loses and doubles nothing', async () => {
    const nodes = nodesOf(4);
    // An InfluxDB of this test's own, so that stopping it disturbs nobody else.
    const influx = await OwnInfluxd.create();
    await influx.start();
    const db = database('cps');
    try {
      await withLab(
        {
          nodes: 4,
          suite: {
            gatewayPort: 0,
            influxUrl: influx.url,
            influxDatabase: db,
            discovery: false,
          },
        },
        async (cluster) => {
          const api = gatewayApi(cluster.gateway!);
          const start = await api.post<{ runId: string }>('/api/v1/scheduler/start', {
            algorithm: 'cps',
          });
          expect(start.status).toBe(202);

          await eventually(
            async () => (await api.get<CoverageAnswer>('/api/v1/coverage')).body.coverage === 1,
            180_000,
            'the gateway to report full coverage',
          );
          const coverage = (await api.get<CoverageAnswer>('/api/v1/coverage')).body;
          expect(coverage.pairsInScope).toBe(12);
          expect(coverage.timeToFullCoverageMs).toBeGreaterThan(0);
          expect(cluster.observer.results.every((r) => r.algorithm === 'cps')).toBe(true);

          // A measurement now, while CPS keeps measuring: it waits for both nodes' leases.
          const manual = await api.post<{ result: MeasurementResult }>('/api/v1/measurements', {
            monitor: 'n1',
            sensor: 'n3',
            tool: 'iperf3-tcp',
            waitMs: 60_000,
          });
          expect(manual.status).toBe(200);
          expect(manual.body.result).toMatchObject({ monitor: 'n1', sensor: 'n3', ok: true });
          expect(manual.body.result.algorithm).toBe('manual');
          await eventually(
            () =>
              cluster.observer.results.some(
                (r) => r.measurementId === manual.body.result.measurementId,
              ),
            10_000,
            'the manual result in the results stream',
          );
          expect(conflictsIn(cluster)).toEqual([]);

          const browser = await launchChromium();
          try {
            const { page, problems } = await openDashboard(
              browser,
              `${cluster.gateway!.url}/#token=${cluster.gateway!.token}`,
            );
            await expectDashboardShowsCluster(page, { nodes, results: cluster.observer.results });
            await expectDashboardUpdates(page, () => nextNewResult(cluster));
            expect(problems).toEqual([]);
          } finally {
            await browser.close();
          }

          // InfluxDB goes away while CPS keeps measuring, then comes back.
          await influx.stop();
          const whileDown = cluster.observer.results.length;
          await eventually(
            () => cluster.observer.results.length >= whileDown + 3,
            60_000,
            'three results published while InfluxDB is down',
          );
          const ready = await api.get<{ checks: Record<string, unknown> }>('/health/ready');
          expect(ready.status).toBe(503);
          await influx.start();

          const stop = await api.post<{ runId: string }>('/api/v1/scheduler/stop');
          expect(stop.status).toBe(202);
          await eventually(
            () =>
              cluster.observer.eventLog.filter((e) => e.type === 'scheduler-stopped').length >= 12,
            20_000,
            'all 12 node services to stop their run',
          );
          // The probes in flight end; after that nothing new is measured.
          await new Promise((resolve) => setTimeout(resolve, 4000));
          const settled = cluster.observer.results.length;
          await new Promise((resolve) => setTimeout(resolve, 8000));
          expect(cluster.observer.results.length).toBe(settled);
          expect(conflictsIn(cluster)).toEqual([]);

          // Prometheus scrapes the gateway for real: every pair's figures arrive as the
          // gateway's API gives them (nothing is measured any more, so both hold still).
          const prometheus = await OwnPrometheus.start({
            job: 'meshmon-gateway',
            targets: [new URL(cluster.gateway!.url).host],
          });
          try {
            const pairs = (
              await api.get<{
                pairs: {
                  monitor: string;
                  sensor: string;
                  lastBitsPerSecond: number | null;
                  lastRttMs: number | null;
                }[];
              }>('/api/v1/pairs')
            ).body.pairs.filter((pair) => pair.lastBitsPerSecond !== null);
            expect(pairs).toHaveLength(12);
            const scraped = await pollUntil(
              'Prometheus to have scraped every pair',
              async () => {
                const samples = await prometheus.query('meshmon_pair_throughput_bits_per_second');
                return samples.length === pairs.length ? samples : undefined;
              },
              30_000,
              500,
            );
            const rtts = await prometheus.query('meshmon_pair_rtt_seconds');
            for (const pair of pairs) {
              const at = (samples: PromSample[]) =>
                samples.find(
                  (sample) =>
                    sample.labels.monitor === pair.monitor && sample.labels.sensor === pair.sensor,
                );
              expect([pair.monitor, pair.sensor, at(scraped)?.value]).toEqual([
                pair.monitor,
                pair.sensor,
                pair.lastBitsPerSecond,
              ]);
              expect(at(rtts)?.value).toBeCloseTo((pair.lastRttMs ?? NaN) / 1000, 12);
              expect(at(scraped)?.labels).toMatchObject({ cluster: 'lab', job: 'meshmon-gateway' });
            }
            const conflicts = await prometheus.query('meshmon_conflicts');
            expect(conflicts.map((sample) => sample.value)).toEqual([0]);
          } finally {
            await prometheus.stop();
          }

          // Every result the monitors published is in InfluxDB exactly once.
          const published = cluster.observer.results.length;
          await eventually(
            async () =>
              (await countPoints(influx.url, db, 'throughput').catch(() => -1)) === published,
            60_000,
            `all ${published} results stored once`,
          );
          await new Promise((resolve) => setTimeout(resolve, 3000));
          expect(await countPoints(influx.url, db, 'throughput')).toBe(published);
          const stored = await api.get<{ results: { monitor: string; sensor: string }[] }>(
            '/api/v1/results?monitor=n1&sensor=n3',
          );
          expect(stored.status).toBe(200);
          expect(stored.body.results.length).toBeGreaterThanOrEqual(2);

          // The API token went through every service's hands (the dashboard's stream had
          // it in its query), the Redis password too: no log of the run holds either.
          expect(filesHolding(cluster.folder, cluster.gateway!.token, ['credentials'])).toEqual([]);
          expect(
            filesHolding(cluster.folder, cluster.credentials.redisPassword, ['credentials']),
          ).toEqual([]);
          for (const file of Object.values(cluster.credentials.natsSeedFiles)) {
            const seed = readFileSync(file, 'utf8').trim();
            expect(filesHolding(cluster.folder, seed, ['credentials'])).toEqual([]);
          }
        },
      );
    } finally {
      await influx.destroy();
    }
  });

  it('discovery mode: a real TCP flow between two namespaces becomes an intent, and pairs without traffic are not measured', async () => {
    await withLab(
      {
        nodes: 3,
        suite: {
          gatewayPort: 0,
          influxUrl: INFLUX_URL,
          influxDatabase: database('discovery'),
          discovery: true,
        },
      },
      async (cluster) => {
        const api = gatewayApi(cluster.gateway!);
        expect((await api.post('/api/v1/scheduler/start', { algorithm: 'cps' })).status).toBe(202);
        const n1 = cluster.nodes.get('n1')!.node;
        const n2 = cluster.nodes.get('n2')!.node;
        const app = (name: string, namespace: string, code: string) =>
          spawnInNamespace({
            namespace,
            command: process.execPath,
            args: ['-e', code],
            env: {},
            logFile: join(cluster.folder, `${name}.log`),
          });
        // An application talking: a server on n2, a client on n1 writing every 200 ms.
        const server = await app(
          'app-server',
          n2.namespace,
          "require('net').createServer((s) => s.resume()).listen(7000); setTimeout(() => process.exit(0), 300000)",
        );
        const client = await app(
          'app-client',
          n1.namespace,
          // Connects until the server listens (it may not yet), then writes every 200 ms.
          `const net = require('net'); const open = () => { const s = net.connect(7000, '${n2.address}'); s.on('error', () => setTimeout(open, 200)); s.on('connect', () => setInterval(() => s.write('x'), 200)); }; open(); setTimeout(() => process.exit(0), 300000)`,
        );
        try {
          await eventually(
            async () => {
              const { intents } = (await api.get<IntentAnswer>('/api/v1/intents')).body;
              const discovered = intents
                .filter((i) => i.source === 'discovered')
                .map((i) => `${i.monitor}>${i.sensor}`)
                .sort();
              return discovered.join(',') === 'n1>n2,n2>n1';
            },
            30_000,
            'n1 -> n2 and n2 -> n1 discovered as intents',
          );
          expect((await api.get<IntentAnswer>('/api/v1/intents')).body.mode).toBe('intents');
          await eventually(
            () =>
              ['n1>n2', 'n2>n1'].every((pair) =>
                cluster.observer.results.some((r) => r.ok && `${r.monitor}>${r.sensor}` === pair),
              ),
            60_000,
            'both discovered pairs measured',
          );
          // Give n3 every chance to be measured by mistake: another 15 s of scheduling.
          await new Promise((resolve) => setTimeout(resolve, 15_000));
          const pairs = new Set(cluster.observer.results.map((r) => `${r.monitor}>${r.sensor}`));
          expect([...pairs].sort()).toEqual(['n1>n2', 'n2>n1']);
          expect(conflictsIn(cluster)).toEqual([]);
        } finally {
          await client.stop(1000).catch(() => undefined);
          await server.stop(1000).catch(() => undefined);
        }
      },
    );
  });
});
