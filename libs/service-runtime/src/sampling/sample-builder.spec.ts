import { decodeResourceSample, encodeResourceSample } from '@meshmon/contracts';
import { parseProcStat } from './proc-stat.js';
import { rssAnonBytes } from './proc-status.js';
import { SampleBuilder, type Readings } from './sample-builder.js';

const IDENTITY = {
  cluster: 'lab',
  run: 'live',
  orchestrator: 'process' as const,
  service: 'monitor' as const,
  node: 'n1',
};

const reading = (atMs: number, cpuUs: number, changes: Partial<Readings> = {}): Readings => ({
  atMs,
  processes: 1,
  cpuUserUs: cpuUs * 0.75,
  cpuSystemUs: cpuUs * 0.25,
  rssBytes: 80e6,
  rssAnonBytes: 40e6,
  heap: { usedBytes: 20e6, totalBytes: 30e6 },
  eventLoop: { meanMs: 10.1234, p99Ms: 11.5, maxMs: 20 },
  net: { namespace: 4026531833, rxBytes: 1, rxPackets: 1, txBytes: 2, txPackets: 2 },
  cgroup: null,
  ...changes,
});

describe(SampleBuilder.name, () => {
  it('sample builder - numbers the samples under the boot id; CPU share over each interval', () => {
    const sut = new SampleBuilder(IDENTITY, 'boot1');

    const first = sut.next(reading(10_000, 1_000_000));
    const second = sut.next(reading(15_000, 1_250_000));
    const third = sut.next(reading(17_000, 5_250_000));

    expect(first).toMatchObject({ sampleId: 'boot1.1', intervalMs: 0, cpuPercent: null });
    // 250 ms of CPU in 5 s: 5 % of one core; 4 s in 2 s: two cores busy, 200 %.
    expect(second).toMatchObject({ sampleId: 'boot1.2', intervalMs: 5000, cpuPercent: 5 });
    expect(third).toMatchObject({ sampleId: 'boot1.3', intervalMs: 2000, cpuPercent: 200 });
    expect(third).toMatchObject({ ...IDENTITY, atMs: 17_000 });
    expect(third.process).toMatchObject({ cpuUserUs: 3_937_500, cpuSystemUs: 1_312_500 });
  });

  it('sample builder - a CPU counter that went backwards gives no share, not a negative one', () => {
    const sut = new SampleBuilder(IDENTITY, 'b');

    sut.next(reading(0, 9_000_000));
    const after = sut.next(reading(5000, 1_000));

    expect(after.cpuPercent).toBeNull();
    expect(after.intervalMs).toBe(5000);
  });

  it('sample builder - figures a process does not have are null, and every sample encodes', () => {
    const sut = new SampleBuilder({ ...IDENTITY, service: 'orchestrator' }, 'b');

    const daemons = sut.next(
      reading(1, 10.4, {
        processes: 4,
        heap: null,
        eventLoop: null,
        net: null,
        rssAnonBytes: null,
      }),
    );

    expect(daemons.process).toEqual({
      processes: 4,
      cpuUserUs: 8,
      cpuSystemUs: 3,
      rssBytes: 80e6,
      rssAnonBytes: null,
      heapUsedBytes: null,
      heapTotalBytes: null,
      eventLoopMeanMs: null,
      eventLoopP99Ms: null,
      eventLoopMaxMs: null,
    });
    expect(decodeResourceSample(encodeResourceSample(daemons)).ok).toBe(true);
  });
});

describe(rssAnonBytes.name, () => {
  it('proc status - RssAnon in kB to bytes; missing is null', () => {
    const status =
      'Name:\tnode\nVmRSS:\t  90112 kB\nRssAnon:\t   51200 kB\nRssFile:\t   38912 kB\n';

    expect(rssAnonBytes(status)).toBe(51200 * 1024);
    expect(rssAnonBytes('Name:\tnode\n')).toBeNull();
    expect(rssAnonBytes(null)).toBeNull();
  });
});

describe(parseProcStat.name, () => {
  it('proc stat - ppid, utime, stime and start time after a name with spaces and brackets', () => {
    const stat =
      '4242 (containerd-shim ) S 1) S 17 4242 4242 0 -1 4194560 1500 0 0 0 731 289 0 0 20 0 11 0 123456 7 8';

    expect(parseProcStat(stat)).toEqual({
      ppid: 17,
      userTicks: 731,
      systemTicks: 289,
      startTicks: 123456,
    });
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat(null)).toBeNull();
  });
});
