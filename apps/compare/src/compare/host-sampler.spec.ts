import { DaemonAccount, HostSampler, readDaemons, type DaemonReading } from './host-sampler.js';

const reading = (pid: number, user: number, system: number, start = 100): DaemonReading => ({
  pid,
  startTicks: start,
  userTicks: user,
  systemTicks: system,
  rssBytes: 10e6,
  rssAnonBytes: 4e6,
});

describe(DaemonAccount.name, () => {
  it('daemon account - CPU since first seen; a daemon started later counts whole; an exited one keeps its share', () => {
    const sut = new DaemonAccount();

    const start = sut.add([reading(10, 500, 100)]);
    const next = sut.add([reading(10, 520, 105), reading(77, 3, 1)]);
    const afterExit = sut.add([reading(10, 530, 105)]);
    // pid 10 reused by another process: a new one, counted from its start.
    const reused = sut.add([reading(10, 2, 0, 999)]);
    // The first pid 10 missing from a reading is no new process when it is read again.
    const back = sut.add([reading(10, 2, 0, 999), reading(10, 540, 105)]);

    expect(start).toEqual({ userUs: 0, systemUs: 0 });
    expect(next).toEqual({ userUs: 23 * 10_000, systemUs: 6 * 10_000 });
    expect(afterExit).toEqual({ userUs: 33 * 10_000, systemUs: 6 * 10_000 });
    expect(reused).toEqual({ userUs: 35 * 10_000, systemUs: 6 * 10_000 });
    expect(back).toEqual({ userUs: 45 * 10_000, systemUs: 6 * 10_000 });
  });
});

describe(readDaemons.name, () => {
  it('read daemons - only the orchestrator daemons, with their memory', () => {
    const files: Record<string, string> = {
      '/proc/1/comm': 'systemd\n',
      '/proc/5/comm': 'dockerd\n',
      '/proc/5/stat': '5 (dockerd) S 1 5 5 0 -1 0 0 0 0 0 40 10 0 0 20 0 1 0 900 0 0',
      '/proc/5/status': 'Name:\tdockerd\nVmRSS:\t  80000 kB\nRssAnon:\t 50000 kB\n',
      '/proc/9/comm': 'containerd-shim\n',
      '/proc/9/stat': '9 (containerd-shim) S 1 9 9 0 -1 0 0 0 0 0 4 1 0 0 20 0 1 0 950 0 0',
      '/proc/9/status': 'Name:\tcontainerd-shim\nVmRSS:\t  9000 kB\nRssAnon:\t 3000 kB\n',
    };

    const found = readDaemons(
      (path) => files[path] ?? null,
      () => [1, 5, 9],
    );

    expect(found.map((daemon) => [daemon.pid, daemon.userTicks, daemon.rssBytes])).toEqual([
      [5, 40, 80000 * 1024],
      [9, 4, 9000 * 1024],
    ]);
  });
});

describe(HostSampler.name, () => {
  it('host sampler - one summed sample of service orchestrator; nothing while no daemon runs', () => {
    const published: unknown[] = [];
    let daemons = [reading(5, 100, 50), reading(9, 10, 5)];
    const identity = {
      cluster: 'c',
      run: 'r',
      orchestrator: 'swarm' as const,
      service: 'orchestrator' as const,
      node: 'host',
    };
    const sut = new HostSampler(
      identity,
      1000,
      (sample) => published.push(sample),
      () => daemons,
    );

    const first = sut.sample();
    daemons = [];
    const none = sut.sample();

    expect(first).toMatchObject({
      service: 'orchestrator',
      process: { processes: 2, rssBytes: 20e6, rssAnonBytes: 8e6, heapUsedBytes: null },
      net: null,
      cgroup: null,
    });
    expect(none).toBeNull();
    expect(published).toHaveLength(1);
  });
});
