import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { BusyNode } from './busy-node.js';
import { exists } from './cpu-cgroup.js';
import { LabNetwork, type LabNode } from './lab-network.js';
import {
  spawnInNamespace,
  type NamespaceProcess,
  type ProcessPlacement,
} from './namespace-process.js';
import {
  isRoot,
  isRunning,
  tempFolder,
  testRunId,
  waitForListener,
} from './testing/network-helpers.js';

// Real namespaces, cgroups, stress-ng and iperf3; needs root.

jest.setTimeout(30_000);

let network: LabNetwork;
let busyNode: LabNode;
let other: LabNode;
const processes: NamespaceProcess[] = [];
const busyNodes: BusyNode[] = [];
const logs = tempFolder();

/** Every process logs to a file of its own, named in start order across all tests. */
let started = 0;

function logOf(node: LabNode, command: string, index: number): string {
  return join(logs, `${node.name}-${command}-${index}.log`);
}

async function start(node: LabNode, command: string, args: string[], placement?: ProcessPlacement) {
  const index = (started += 1);
  const running = await spawnInNamespace({
    namespace: node.namespace,
    command,
    args,
    logFile: logOf(node, command, index),
    placement,
  });
  processes.push(running);
  return { running, logFile: logOf(node, command, index) };
}

/** iperf3 from the busy node (the monitor's role: client, sending) to the other node. */
async function sendingRate(placement: ProcessPlacement | undefined): Promise<number> {
  await start(other, 'iperf3', ['-s', '-1', '-p', '5201']);
  await waitForListener(other.namespace, 5201);
  const client = await start(
    busyNode,
    'iperf3',
    ['-c', other.address, '-p', '5201', '-t', '2', '-J'],
    placement,
  );
  await client.running.exited;
  const log = readFileSync(client.logFile, 'utf8');
  const result = JSON.parse(log.slice(log.indexOf('\n') + 1)) as {
    end: { sum_received: { bits_per_second: number } };
  };
  return result.end.sum_received.bits_per_second;
}

async function prepare(net: LabNetwork, node: LabNode, log: string): Promise<BusyNode> {
  const busy = await BusyNode.prepare(net, node, { logFile: join(logs, log), mechanism: 'cgroup' });
  busyNodes.push(busy);
  return busy;
}

/** cpuset.cpus of the busy node's cgroup (v1: its cpuset directory; v2: its one directory). */
function confinedTo(busy: BusyNode): string {
  const dirs = (busy.placement.cgroupProcsFiles ?? []).map((file) => dirname(file));
  const file = dirs.map((dir) => join(dir, 'cpuset.cpus')).find((path) => existsSync(path));
  return file === undefined ? 'not confined' : readFileSync(file, 'utf8').trim();
}

/** One CPU hog in a session of its own; it ends by itself after 60 s. */
function startHog(): ChildProcess {
  return spawn('stress-ng', ['--cpu', '1', '--timeout', '60', '--quiet'], {
    detached: true,
    stdio: 'ignore',
  });
}

function stopHog(hog: ChildProcess): void {
  try {
    if (hog.pid !== undefined) process.kill(-hog.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

(isRoot ? describe : describe.skip)(BusyNode.name, () => {
  beforeAll(async () => {
    network = await LabNetwork.create({ runId: testRunId(), linkRate: '200mbit' });
    busyNode = await network.addNode('busy');
    other = await network.addNode('other');
  });

  afterEach(async () => {
    await Promise.all(
      processes.splice(0).map((running) => running.stop(500).catch(() => undefined)),
    );
    await Promise.all(busyNodes.splice(0).map((busy) => busy.destroy()));
  });

  afterAll(async () => {
    await network.destroy();
  });

  it('busy node - the node and its load share one limited cgroup, and the node sends measurably slower', async () => {
    const sut = await prepare(network, busyNode, 'stress.log');
    const service = await start(busyNode, 'sleep', ['30'], sut.placement);
    const idle = await sendingRate(sut.placement);

    await sut.start();
    const busy = await sendingRate(sut.placement);
    const procsFile = (sut.placement.cgroupProcsFiles ?? [])[0];
    const inside = readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);

    expect(sut.mechanism).toBe('cgroup');
    expect(inside).toContain(service.running.pid);
    expect(inside.length).toBeGreaterThanOrEqual(4);
    expect(idle).toBeGreaterThan(180e6);
    expect(busy).toBeLessThan(0.8 * idle);
    expect(confinedTo(sut)).toBe(String(availableParallelism() - 1));

    await sut.destroy();
    expect(await exists(dirname(procsFile))).toBe(false);
    expect(isRunning(service.running.pid)).toBe(false);
    expect(readFileSync(`/run/meshmon-lab/${network.runId}.json`, 'utf8')).not.toContain('cgroup');
  });

  it('busy node - beside eight busy sessions on the machine it still sends measurably slower', async () => {
    // Each hog in a session of its own is a scheduling entity of its own (autogroups), as a
    // lab's services are. At the default weight the busy group then took most of each
    // period to use its share, and its shortened stalls hid behind the socket's unsent bytes.
    const hogs = Array.from({ length: 8 }, () => startHog());
    try {
      const sut = await prepare(network, busyNode, 'stress.log');
      const idle = await sendingRate(sut.placement);

      await sut.start();
      const busy = await sendingRate(sut.placement);

      expect(idle).toBeGreaterThan(180e6);
      expect(busy).toBeLessThan(0.6 * idle);
    } finally {
      for (const hog of hogs) stopHog(hog);
    }
  });

  it('busy node - stop ends the load and lifts the limit, so the node sends at full rate again', async () => {
    const sut = await prepare(network, busyNode, 'stress.log');
    await sut.start();
    expect(sut.running).toBe(true);

    await sut.stop();
    const rate = await sendingRate(sut.placement);

    expect(sut.running).toBe(false);
    expect(rate).toBeGreaterThan(180e6);
  });

  it('busy node - a cgroup left behind is removed with its network, and only that one', async () => {
    const sut = await prepare(network, busyNode, 'stress.log');
    await sut.start();
    const scratch = await LabNetwork.create({ runId: testRunId(), linkRate: '200mbit' });
    try {
      const scratchBusy = await BusyNode.prepare(scratch, await scratch.addNode('n1'), {
        logFile: join(logs, 'stress2.log'),
      });
      await scratchBusy.start();

      await scratch.destroy();

      expect(await exists(dirname((scratchBusy.placement.cgroupProcsFiles ?? [])[0]))).toBe(false);
      expect(await exists(dirname((sut.placement.cgroupProcsFiles ?? [])[0]))).toBe(true);
    } finally {
      await scratch.destroy();
    }
  });
});
