import { jest } from '@jest/globals';
import { connectRedis } from '@meshmon/leases';
import { buildLabReport } from '../../apps/lab/src/report/lab-report.js';
import {
  conflictsIn,
  coveredPairs,
  eventually,
  labRedis,
  nextEvent,
  nextResult,
  nodesOf,
  withLab,
} from './lab-harness.js';

// Real namespaces, NATS, Redis and iperf3: each scenario starts its own small cluster.
// They run one after another (one file), since two labs at once on 2 cores would make
// each other's timing meaningless.
jest.setTimeout(300_000);

describe('the lab, on real namespaces, NATS, Redis and iperf3', () => {
  it('a 4-node CPS cluster with 2 s probes reaches full coverage with zero conflicts', async () => {
    await withLab({ nodes: 4 }, async (cluster) => {
      await eventually(
        () => coveredPairs(cluster, nodesOf(4)) === 12,
        180_000,
        'all 12 pairs measured',
      );
      expect(conflictsIn(cluster)).toEqual([]);
      const ok = cluster.observer.results.filter((r) => r.ok);
      for (const result of ok) {
        expect(result.throughput!.bitsPerSecond).toBeGreaterThan(50e6);
        expect(result.rtt!.avgMs).toBeGreaterThan(0);
        expect(result.fencingToken).toBeGreaterThanOrEqual(1);
        expect(result.cpu!.clientPercent).toBeGreaterThanOrEqual(0);
      }
      expect(cluster.observer.eventCounts['role-switched']).toBeGreaterThan(0);
      expect(cluster.observer.eventCounts['slot-granted']).toBeGreaterThan(0);
      expect(cluster.observer.errors).toEqual([]);
    });
  });

  it('a monitor killed mid-measurement leaves a lease that expires, then the sensor serves others', async () => {
    await withLab({ nodes: 3 }, async (cluster) => {
      const redis = labRedis(cluster);
      // Nobody without the password gets in, and the suite's user has its own keys only.
      await expect(connectRedis(cluster.redisUrl, { timeoutMs: 2000 })).rejects.toThrow(/NOAUTH/);
      await expect(redis.set('not-meshmon:x', '1')).rejects.toThrow(/NOPERM/);
      await expect(redis.flushall()).rejects.toThrow(/NOPERM/);
      try {
        const granted = await nextEvent(
          cluster,
          (e) => e.type === 'slot-granted',
          60_000,
          'a grant',
        );
        const monitor = String(granted.fields.monitor);
        const sensor = String(granted.fields.sensor);
        const leaseKey = `${cluster.subjects.redis.prefix}:lease:${sensor}`;
        await eventually(
          async () => (await redis.exists(leaseKey)) === 1,
          5000,
          `the lease on ${sensor}`,
        );
        cluster.kill(monitor, 'monitor');
        const killedAt = Date.now();
        // Nobody releases it: the lease must lapse on its own, within the lock time.
        await eventually(
          async () => (await redis.exists(leaseKey)) === 0,
          30_000,
          `the lease on ${sensor} to expire`,
        );
        const served = await nextResult(
          cluster,
          (r) => r.ok && r.sensor === sensor && r.monitor !== monitor && r.startedAtMs > killedAt,
          120_000,
          `${sensor} measured by another monitor after the kill`,
        );
        expect(served.fencingToken).toBeGreaterThan(0);
        expect(conflictsIn(cluster)).toEqual([]);
      } finally {
        redis.disconnect();
      }
    });
  });

  it('a node that dies is dropped by monitors after the timeout and removed by the controllers', async () => {
    await withLab(
      { nodes: 4, params: { livenessIntervalMs: 3000, livenessIntervalPerMemberMs: 200 } },
      async (cluster) => {
        await nextResult(cluster, (r) => r.ok, 60_000, 'a first measurement');
        cluster.crashNode('n4');
        const removedBy = new Set<string>();
        await eventually(
          () => {
            for (const event of cluster.observer.eventLog) {
              if (event.type === 'member-removed' && event.fields.member === 'n4')
                removedBy.add(event.node);
            }
            return ['n1', 'n2', 'n3'].every((node) => removedBy.has(node));
          },
          90_000,
          'every controller to remove n4',
        );
        const removedAt = Date.now();
        // After that, the survivors keep measuring each other and nobody asks n4 any more.
        await nextResult(
          cluster,
          (r) => r.ok && r.startedAtMs > removedAt,
          60_000,
          'a measurement after the removal',
        );
        expect(
          cluster.observer.results.some(
            (r) => r.sensor === 'n4' && r.startedAtMs > removedAt + 5000,
          ),
        ).toBe(false);
        expect(conflictsIn(cluster)).toEqual([]);
      },
    );
  });

  it('a node that joins mid-run gets measured, and measures', async () => {
    await withLab({ nodes: 3 }, async (cluster) => {
      await nextResult(cluster, (r) => r.ok, 60_000, 'a first measurement');
      await cluster.addNode('n4');
      await eventually(
        () =>
          cluster.observer.results.some((r) => r.ok && r.sensor === 'n4') &&
          cluster.observer.results.some((r) => r.ok && r.monitor === 'n4'),
        180_000,
        'n4 measured as sensor and as monitor',
      );
      expect(conflictsIn(cluster)).toEqual([]);
    });
  });

  it('answers garbage and wrongly typed NATS messages with errors and keeps running', async () => {
    await withLab({ nodes: 3 }, async (cluster) => {
      // A faulty monitor: it may send scheduler messages to the others, so they are read.
      const nats = await cluster.connectAs('monitor');
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      const subjects = cluster.subjects;
      const ask = async (subject: string, body: string) =>
        JSON.parse(
          decoder.decode(
            (await nats.request(subject, encoder.encode(body), { timeout: 3000 })).data,
          ),
        );

      const garbage = await ask(
        subjects.schedulerMessage('n1', 'sensor', 'slot-request'),
        '{not json',
      );
      expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
      expect(garbage.error.problems[0].field).toBe('(body)');

      const wrongType = await ask(
        subjects.schedulerMessage('n1', 'sensor', 'slot-request'),
        JSON.stringify({
          v: 1,
          from: { node: 'n2', module: 'monitor' },
          sentAtMs: Date.now(),
          message: {
            type: 'slot-request',
            requestId: 'x',
            monitor: 'n2',
            priority: 'high',
            attempt: 0,
          },
        }),
      );
      expect(wrongType.ok).toBe(false);
      expect(wrongType.error.problems.map((p: { field: string }) => p.field)).toContain(
        'message.priority',
      );

      const badStart = await ask(
        subjects.serverStart('n2'),
        JSON.stringify({ v: 1, measurementId: 7 }),
      );
      expect(badStart.ok).toBe(false);

      // Events with junk are dropped with an error event, for every module.
      const errorsBefore = cluster.observer.eventCounts.error ?? 0;
      for (const module of ['controller', 'sensor', 'monitor'] as const) {
        nats.publish(subjects.schedulerMessage('n3', module, 'ping'), encoder.encode('[1,2,3]'));
        nats.publish(subjects.broadcast(module, 'hello'), encoder.encode('{"v":2}'));
      }
      await eventually(
        () => (cluster.observer.eventCounts.error ?? 0) >= errorsBefore + 6,
        10_000,
        'error events',
      );

      // Still alive and still measuring.
      const after = Date.now();
      await nextResult(
        cluster,
        (r) => r.ok && r.startedAtMs > after,
        60_000,
        'a measurement after the garbage',
      );
      expect(cluster.pids()).toHaveLength(9);
    });
  });

  it('names a slow node and a busy node as outliers', async () => {
    await withLab(
      { nodes: 4, slowNodes: new Map([['n3', '100mbit']]), busyNodes: new Set(['n4']) },
      async (cluster) => {
        await eventually(
          () => coveredPairs(cluster, nodesOf(4)) === 12,
          200_000,
          'all 12 pairs measured',
        );
        const report = buildLabReport({
          algorithm: 'cps',
          probeSeconds: 2,
          startedAtMs: cluster.startedAtMs,
          durationSeconds: (Date.now() - cluster.startedAtMs) / 1000,
          nodes: nodesOf(4).map((name) => ({ name, joinedAtSeconds: 0, present: true })),
          results: cluster.observer.results,
          eventCounts: cluster.observer.eventCounts,
        });
        expect([...report.outliers].sort()).toEqual(['n3', 'n4']);
        expect(report.conflicts).toBe(0);
      },
    );
  });
});
