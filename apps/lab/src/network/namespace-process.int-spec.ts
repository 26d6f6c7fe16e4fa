import { jest } from '@jest/globals';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CpuCgroup, detectCgroups } from './cpu-cgroup.js';
import { LabNetwork } from './lab-network.js';
import { spawnInNamespace, type NamespaceProcess } from './namespace-process.js';
import { isRoot, isRunning, tempFolder, testRunId } from './testing/network-helpers.js';

// Real namespaces and cgroups; needs root.

jest.setTimeout(30_000);

let network: LabNetwork;
const processes: NamespaceProcess[] = [];
const cgroups: CpuCgroup[] = [];
const logs = tempFolder();

async function inNode(
  command: string,
  args: string[],
  extra: Partial<Parameters<typeof spawnInNamespace>[0]> = {},
) {
  const started = await spawnInNamespace({
    namespace: network.node('n1')?.namespace as string,
    command,
    args,
    logFile: join(logs, `${command}-${processes.length}.log`),
    ...extra,
  });
  processes.push(started);
  return started;
}

(isRoot ? describe : describe.skip)(spawnInNamespace.name, () => {
  beforeAll(async () => {
    network = await LabNetwork.create({ runId: testRunId(), linkRate: '100mbit' });
    await network.addNode('n1');
  });

  afterEach(async () => {
    await Promise.all(
      processes.splice(0).map((running) => running.stop(500).catch(() => undefined)),
    );
    await Promise.all(cgroups.splice(0).map((cgroup) => cgroup.destroy()));
  });

  afterAll(async () => {
    await network.destroy();
  });

  it('namespace process - runs inside the namespace with the given environment, output to the log', async () => {
    const logFile = join(logs, 'env.log');
    const sut = await spawnInNamespace({
      namespace: network.node('n1')?.namespace as string,
      command: 'sh',
      args: ['-c', 'echo "node=$MESHMON_NODE"; ip -4 -o addr show dev eth0; echo oops >&2; exit 3'],
      env: { MESHMON_NODE: 'n1' },
      logFile,
    });

    await expect(sut.exited).resolves.toEqual({ code: 3, signal: null });
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('node=n1');
    expect(log).toContain(`inet ${network.node('n1')?.address}/`);
    expect(log).toContain('oops');
    expect(sut.running).toBe(false);
  });

  it('namespace process - the handle comes back only once the process is inside the namespace and cgroup', async () => {
    const cgroup = await CpuCgroup.create(await detectCgroups(), `mm${network.runId}-in`);
    cgroups.push(cgroup);
    const namespace = network.node('n1')?.namespace as string;

    const sut = await inNode('sleep', ['30'], {
      placement: { cgroupProcsFiles: cgroup.procsFiles, cpus: '0' },
    });

    expect(readlinkSync(`/proc/${sut.pid}/ns/net`)).toBe(
      `net:[${statSync(`/run/netns/${namespace}`).ino}]`,
    );
    expect(readFileSync(cgroup.procsFiles[0], 'utf8').trim()).toBe(String(sut.pid));
  });

  it('namespace process - stop ends a process that ignores SIGTERM with SIGKILL after the grace, and its children', async () => {
    const sut = await inNode('sh', ['-c', 'trap "" TERM; sleep 30 & echo $! > /dev/stderr; wait']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const child = Number(readFileSync(join(logs, 'sh-0.log'), 'utf8').split('\n')[1]);
    const started = Date.now();

    await expect(sut.stop(300)).resolves.toEqual({ code: null, signal: 'SIGKILL' });

    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(isRunning(sut.pid)).toBe(false);
    await waitUntil(() => !isRunning(child));
  });

  it('namespace process - a pinned process and its children run on the given CPU only', async () => {
    const sut = await inNode('sh', ['-c', 'sleep 30 & wait'], {
      placement: { cpus: '0', nice: 5 },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(readFileSync(`/proc/${sut.pid}/status`, 'utf8')).toMatch(/Cpus_allowed_list:\s+0\n/);
    expect(readFileSync(`/proc/${sut.pid}/stat`, 'utf8').split(') ')[1].split(' ')[16]).toBe('5');
  });

  it('namespace process - joins the cgroup before it starts, so its children are inside too', async () => {
    const cgroup = await CpuCgroup.create(await detectCgroups(), `mm${network.runId}-pt`);
    cgroups.push(cgroup);
    const sut = await inNode('sh', ['-c', 'sleep 30 & wait'], {
      placement: { cgroupProcsFiles: cgroup.procsFiles },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const inside = readFileSync(cgroup.procsFiles[0], 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
    expect(inside).toContain(sut.pid);
    expect(inside).toHaveLength(2);
  });

  it('namespace process - a cpuset cgroup pins like taskset does, for machines without taskset', async () => {
    const cgroup = await CpuCgroup.create(await detectCgroups(), `mm${network.runId}-cs`, {
      cpus: '1',
    });
    cgroups.push(cgroup);

    const sut = await inNode('sleep', ['30'], {
      placement: { cgroupProcsFiles: cgroup.procsFiles },
    });

    expect(readFileSync(`/proc/${sut.pid}/status`, 'utf8')).toMatch(/Cpus_allowed_list:\s+1\n/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
