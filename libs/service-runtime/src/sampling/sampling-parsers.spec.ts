import { cgroupPaths, ownsCgroup, readCgroupCounters, type TextFile } from './cgroup-counters.js';
import { netNamespaceId, parseNetDev } from './net-dev.js';

/** Files as a map, so each test shows exactly what the kernel would have shown. */
const filesOf =
  (files: Record<string, string>): TextFile =>
  (path) =>
    files[path] ?? null;

// Captured on this project's machine (Debian, cgroup v1 with a unified tree for systemd).
const V1_SELF_CGROUP = `9:name=systemd:/
8:pids:/
4:memory:/process_api/8c91
3:cpuset:/
2:cpuacct:/
1:cpu:/
0::/
`;

describe(parseNetDev.name, () => {
  it('net dev - sums every interface but lo, receive and transmit', () => {
    const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 9794851052537 254696254    0    0    0     0          0         0 9794851052537 254696254    0    0    0     0       0          0
  eth0:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0
mm1-h2:     500       5    0    0    0     0          0         0      700       7    0    0    0     0       0          0
`;

    expect(parseNetDev(text)).toEqual({
      counters: { rxBytes: 1500, rxPackets: 15, txBytes: 2700, txPackets: 27 },
      skipped: [],
    });
  });

  it('net dev - a line it cannot read is named, not counted', () => {
    const text = 'h1\nh2\n  eth0: 1 2 3\n  eth1: 1 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0\n';

    expect(parseNetDev(text)).toEqual({
      counters: { rxBytes: 1, rxPackets: 2, txBytes: 3, txPackets: 4 },
      skipped: ['eth0: 1 2 3'],
    });
  });
});

/** A whole `/proc/<pid>/stat` line, as the kernel writes it, with this parent. */
const stat = (pid: number, comm: string, ppid: number): string =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 5 2 0 0 20 0 1 0 900 1000000 300`;

describe(netNamespaceId.name, () => {
  it('net namespace - the inode of the link; anything else is null', () => {
    expect(netNamespaceId('net:[4026531833]')).toBe(4026531833);
    expect(netNamespaceId('mnt:[4026531833]')).toBeNull();
    expect(netNamespaceId(null)).toBeNull();
  });
});

describe(readCgroupCounters.name, () => {
  it('cgroup - v1: each controller at its own path, USER_HZ ticks and "no limit" converted', () => {
    const read = filesOf({
      '/sys/fs/cgroup/cpuacct/cpuacct.usage': '24485912329877\n',
      '/sys/fs/cgroup/cpuacct/cpuacct.stat': 'user 1606261\nsystem 841525\n',
      '/sys/fs/cgroup/cpu/cpu.stat': 'nr_periods 7\nnr_throttled 3\nthrottled_time 450000000\n',
      '/sys/fs/cgroup/memory/process_api/8c91/memory.usage_in_bytes': '4794847232\n',
      '/sys/fs/cgroup/memory/process_api/8c91/memory.limit_in_bytes': '9223372036854771712\n',
      '/sys/fs/cgroup/memory/process_api/8c91/memory.stat': 'cache 100\nrss 7\ntotal_rss 4096\n',
      '/sys/fs/cgroup/cpuacct/cgroup.procs': '1\n17\n230\n',
      // A wrapper (1), the service (17) and its iperf3 (230): the group is the service's own.
      '/proc/17/stat': stat(17, 'node main', 1),
      '/proc/230/stat': stat(230, 'iperf3', 17),
      '/proc/1/stat': stat(1, 'sh', 0),
    });

    expect(readCgroupCounters(read, V1_SELF_CGROUP, '/sys/fs/cgroup', 17)).toEqual({
      version: 1,
      processes: 3,
      exclusive: true,
      cpuUsageNs: 24485912329877,
      cpuUserNs: 1606261 * 10_000_000,
      cpuSystemNs: 841525 * 10_000_000,
      throttledPeriods: 3,
      throttledNs: 450000000,
      memoryBytes: 4794847232,
      memoryAnonBytes: 4096,
      memoryLimitBytes: null,
    });
  });

  it('cgroup - v2: the unified path, microseconds to nanoseconds, a memory limit', () => {
    const dir = '/sys/fs/cgroup/kubepods.slice/cri-containerd-abc.scope';
    const read = filesOf({
      '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids\n',
      [`${dir}/cpu.stat`]:
        'usage_usec 1234\nuser_usec 1000\nsystem_usec 234\nnr_periods 10\nnr_throttled 2\nthrottled_usec 5000\n',
      [`${dir}/memory.current`]: '12345678\n',
      [`${dir}/memory.max`]: '536870912\n',
      [`${dir}/memory.stat`]: 'anon 8192\nfile 300\n',
      [`${dir}/cgroup.procs`]: '42\n',
    });

    expect(
      readCgroupCounters(
        read,
        '0::/kubepods.slice/cri-containerd-abc.scope\n',
        '/sys/fs/cgroup',
        42,
      ),
    ).toEqual({
      version: 2,
      processes: 1,
      exclusive: true,
      cpuUsageNs: 1_234_000,
      cpuUserNs: 1_000_000,
      cpuSystemNs: 234_000,
      throttledPeriods: 2,
      throttledNs: 5_000_000,
      memoryBytes: 12345678,
      memoryAnonBytes: 8192,
      memoryLimitBytes: 536870912,
    });
  });

  it('cgroup - v2 in a container without a cgroup namespace: the mount root holds its files', () => {
    const read = filesOf({
      '/sys/fs/cgroup/cgroup.controllers': 'cpu memory\n',
      '/sys/fs/cgroup/cpu.stat': 'usage_usec 5\n',
      '/sys/fs/cgroup/memory.current': '100\n',
      '/sys/fs/cgroup/memory.max': 'max\n',
    });

    expect(readCgroupCounters(read, '0::/system.slice/docker-abc.scope\n')).toMatchObject({
      version: 2,
      cpuUsageNs: 5000,
      throttledPeriods: null,
      processes: null,
      exclusive: null,
      memoryAnonBytes: null,
      memoryBytes: 100,
      memoryLimitBytes: null,
    });
  });

  it("cgroup - a group with a process outside this one's tree is not its own", () => {
    const read = filesOf({
      '/proc/17/stat': stat(17, 'node', 1),
      '/proc/1/stat': stat(1, 'systemd', 0),
      '/proc/900/stat': stat(900, 'dockerd', 1),
    });

    expect(ownsCgroup(read, '1\n17\n900\n', 17)).toBe(false);
    expect(ownsCgroup(read, '17\n', 17)).toBe(true);
    expect(ownsCgroup(read, null, 17)).toBeNull();
  });

  it('cgroup - nothing readable is null, not zeros', () => {
    expect(readCgroupCounters(filesOf({}), '0::/\n')).toBeNull();
    expect(cgroupPaths('garbage\n1:cpu,cpuacct:/a\n')).toEqual(
      new Map([
        ['cpu', '/a'],
        ['cpuacct', '/a'],
      ]),
    );
  });
});
