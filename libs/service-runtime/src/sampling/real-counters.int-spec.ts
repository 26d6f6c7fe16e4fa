/** The parsers on this machine's own /proc and cgroup files (Linux; v1 here, v2 elsewhere). */
import { readFileSync } from 'node:fs';
import { readCgroupCounters } from './cgroup-counters.js';
import { parseNetDev } from './net-dev.js';
import { readTextOrNull } from './self-sampler.js';

describe('sampling on this machine', () => {
  it('real counters - the cgroup CPU time grows while this process works, memory is counted', () => {
    const self = readFileSync('/proc/self/cgroup', 'utf8');
    const before = readCgroupCounters(readTextOrNull, self);
    // 100 ms of this process's own CPU time (bounded in wall time on a loaded machine).
    const start = process.cpuUsage();
    const deadline = Date.now() + 5000;
    let spentUs = 0;
    while (spentUs < 100_000 && Date.now() < deadline) {
      for (let i = 0; i < 10_000; i += 1) Math.sqrt(i);
      const used = process.cpuUsage(start);
      spentUs = used.user + used.system;
    }
    const after = readCgroupCounters(readTextOrNull, self);

    expect(before).not.toBeNull();
    // The cgroup holds this process (and maybe more): it counted at least what it spent.
    expect(after!.cpuUsageNs! - before!.cpuUsageNs!).toBeGreaterThanOrEqual(spentUs * 1000 * 0.9);
    expect(spentUs).toBeGreaterThanOrEqual(100_000);
    expect(after!.memoryBytes).toBeGreaterThan(0);
  });

  it('real counters - /proc/net/dev reads without a skipped line', () => {
    const { counters, skipped } = parseNetDev(readFileSync('/proc/net/dev', 'utf8'));

    expect(skipped).toEqual([]);
    expect(counters.rxBytes).toBeGreaterThanOrEqual(0);
  });
});
