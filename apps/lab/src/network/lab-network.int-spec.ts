import { jest } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BusyNode } from './busy-node.js';
import { LabNetwork } from './lab-network.js';
import { awaitEchoReply } from './reachability.js';
import { spawnInNamespace, type NamespaceProcess } from './namespace-process.js';
import { runCommand } from './run-command.js';
import { DEFAULT_STATE_DIR } from './run-registry.js';
import {
  iperfBits,
  isRoot,
  leftovers,
  isRunning,
  tempFolder,
  testRunId,
  waitForListener,
} from './testing/network-helpers.js';

// Real namespaces, veths, tbf, ping and iperf3; needs root. Run records go to the shared
// state folder, so that a lab started meanwhile on this machine sees these runs as alive.

jest.setTimeout(30_000);

const networks: LabNetwork[] = [];
const processes: NamespaceProcess[] = [];
const logs = tempFolder();

async function network(linkRate = '100mbit', subnet?: string): Promise<LabNetwork> {
  const created = await LabNetwork.create({ runId: testRunId(), linkRate, subnet });
  networks.push(created);
  return created;
}

/**
 * Reachability, not loss: any echo reply within REACHABLE_WITHIN_SECONDS will do. When none
 * comes, the error says what the bridge looked like then, so a CI failure can be told apart
 * from a slow machine (bridge gone, address gone, port detached).
 */
async function ping(sut: LabNetwork, namespace: string, address: string): Promise<void> {
  try {
    await awaitEchoReply(namespace, address);
  } catch (error) {
    const bridge = sut.bridge;
    const state = await runCommand('sh', [
      '-c',
      `ip -br addr show dev ${bridge}; bridge link show master ${bridge}; ip -n ${namespace} -br addr`,
    ]).catch((failure: unknown) => String(failure));
    throw new Error(`${String(error)}\nthen:\n${state}`, { cause: error });
  }
}

async function iperfServer(namespace: string, port: number): Promise<NamespaceProcess> {
  const server = await spawnInNamespace({
    namespace,
    command: 'iperf3',
    args: ['-s', '-1', '-p', String(port)],
    logFile: join(logs, `${namespace}-iperf3.log`),
  });
  processes.push(server);
  await waitForListener(namespace, port);
  return server;
}

async function linkAddress(device: string): Promise<string> {
  const [link] = JSON.parse(await runCommand('ip', ['-j', 'link', 'show', 'dev', device])) as {
    address: string;
  }[];
  return link.address;
}

async function neighbourAddress(namespace: string, address: string): Promise<string | undefined> {
  const [entry] = JSON.parse(
    await runCommand('ip', ['-n', namespace, '-j', 'neigh', 'show', address]),
  ) as { lladdr?: string }[];
  return entry?.lladdr;
}

/** cleanupStale logs what it removed; the assertions look at the list it returns instead. */
const quiet = { log: () => undefined, warn: () => undefined };

afterEach(async () => {
  await Promise.all(
    processes.splice(0).map((running) => running.stop(1000).catch(() => undefined)),
  );
  await Promise.all(networks.splice(0).map((created) => created.destroy()));
});

(isRoot ? describe : describe.skip)(LabNetwork.name, () => {
  it('lab network - three nodes reach each other and the gateway', async () => {
    const sut = await network();
    const nodes = [await sut.addNode('n1'), await sut.addNode('n2'), await sut.addNode('n3')];

    expect(nodes.map((node) => node.address)).toEqual(
      [2, 3, 4].map((host) => sut.gatewayAddress.replace(/\.1$/, `.${host}`)),
    );
    for (const from of nodes) {
      await ping(sut, from.namespace, sut.gatewayAddress);
      for (const to of nodes) if (to !== from) await ping(sut, from.namespace, to.address);
    }
  });

  it('lab network - the gateway keeps its MAC when a port with a lower one joins, so no ARP cache goes stale', async () => {
    const sut = await network();
    const [n1, n2] = [await sut.addNode('n1'), await sut.addNode('n2')];
    const gatewayMac = await linkAddress(sut.bridge);
    const cached = await neighbourAddress(n1.namespace, sut.gatewayAddress);
    // The lowest unicast MAC there is: a bridge without an address of its own would take it
    // (NETDEV_CHANGEADDR), and n1, which cached the old MAC of another port, would get no
    // echo reply until its ARP entry expired (checked: FAIL for 5 s without the fix).
    await runCommand('ip', ['link', 'set', 'dev', n2.hostVeth, 'address', '00:00:00:00:00:01']);

    expect(await linkAddress(sut.bridge)).toBe(gatewayMac);
    expect(cached).toBe(gatewayMac);
    await awaitEchoReply(n1.namespace, sut.gatewayAddress, 2);
  });

  it('lab network - iperf3 between two nodes shaped at 100mbit measures 100 Mbit/s ± 20 %', async () => {
    const sut = await network('100mbit');
    const [n1, n2] = [await sut.addNode('n1'), await sut.addNode('n2')];
    await iperfServer(n2.namespace, 5201);

    const bits = await iperfBits(n1.namespace, n2.address, 5201, 2);

    expect(bits).toBeGreaterThan(80e6);
    expect(bits).toBeLessThan(120e6);
  });

  it('lab network - a slow node at a fifth of the rate measures a fifth, in both directions', async () => {
    const sut = await network('100mbit');
    const [fast, slow] = [await sut.addNode('fast'), await sut.addNode('slow', { rate: '20mbit' })];
    await iperfServer(slow.namespace, 5201);
    await iperfServer(fast.namespace, 5202);

    const toSlow = await iperfBits(fast.namespace, slow.address, 5201, 2);
    const fromSlow = await iperfBits(slow.namespace, fast.address, 5202, 2);

    for (const bits of [toSlow, fromSlow]) {
      expect(bits).toBeGreaterThan(16e6);
      expect(bits).toBeLessThan(24e6);
    }
  });

  it('lab network - destroy kills what runs inside and leaves no namespace, veth, bridge or record', async () => {
    const sut = await network();
    const node = await sut.addNode('n1');
    await sut.addNode('n2');
    // Started with plain `ip netns exec`, not through a handle: as a crashed service would leave it.
    const sleeper = await spawnInNamespace({
      namespace: node.namespace,
      command: 'sleep',
      args: ['60'],
      logFile: join(logs, 'sleeper.log'),
    });
    expect(await leftovers(sut.runId)).toHaveLength(5);

    await sut.destroy();
    await sut.destroy();

    expect(await leftovers(sut.runId)).toEqual([]);
    await sleeper.exited;
    expect(isRunning(sleeper.pid)).toBe(false);
    expect(existsSync(join(DEFAULT_STATE_DIR, `${sut.runId}.json`))).toBe(false);
  });

  it('lab network - removeNode takes one node away and the others keep talking', async () => {
    const sut = await network();
    const [n1, , n3] = [await sut.addNode('n1'), await sut.addNode('n2'), await sut.addNode('n3')];

    await sut.removeNode('n2');

    expect(await leftovers(sut.runId)).not.toContain('netns mm' + sut.runId + '-n2');
    expect(sut.listNodes().map((node) => node.name)).toEqual(['n1', 'n3']);
    await ping(sut, n1.namespace, n3.address);
  });

  it('lab network - a node that fails half-way is removed again and the network stays usable', async () => {
    const sut = await network();
    await sut.addNode('n1');
    // The veth name the next node would get is taken, so `ip link add` fails after the
    // namespace was made.
    const taken = `mm${sut.runId}-h3`;
    await runCommand('ip', ['link', 'add', 'name', taken, 'type', 'bridge']);

    await expect(sut.addNode('n2')).rejects.toThrow(
      /`ip link add name .*-h3 .*` failed: .*File exists/,
    );

    expect(await leftovers(sut.runId)).toEqual(
      [`netns mm${sut.runId}-n1`, `link mm${sut.runId}-br`, `link mm${sut.runId}-h2`].sort(),
    );
    const n3 = await sut.addNode('n3');
    await ping(sut, n3.namespace, sut.gatewayAddress);
  });

  it('lab network - create that fails after the record was written removes everything', async () => {
    const runId = testRunId();
    await runCommand('ip', ['link', 'add', 'name', `mm${runId}-br`, 'type', 'bridge']);

    await expect(LabNetwork.create({ runId, linkRate: '100mbit' })).rejects.toThrow(
      /`ip link add name mm.*-br address .* type bridge` failed: .*File exists/,
    );

    expect(await leftovers(runId)).toEqual([]);
    expect(existsSync(join(DEFAULT_STATE_DIR, `${runId}.json`))).toBe(false);
  });

  it('lab network - refuses a subnet that overlaps one in use, naming it', async () => {
    const first = await network();

    await expect(network('100mbit', first.subnetCidr)).rejects.toThrow(
      new RegExp(`subnet: ${first.subnetCidr} overlaps ${first.subnetCidr} on mm${first.runId}-br`),
    );
    await expect(network('100mbit', '8.8.8.0/24')).rejects.toThrow(
      /subnet: must lie in 10.0.0.0\/8/,
    );
  });

  it('lab network - cleanupStale removes what dead runs left and spares live runs and strangers', async () => {
    const live = await network();
    await live.addNode('n1');
    const crashed = await network();
    const crashedNode = await crashed.addNode('n1');
    await crashed.addNode('n2');
    const orphan = await network();
    const orphanNode = await orphan.addNode('n1');
    // Busy nodes leave cgroups with stressors in them, recorded or (orphan) not.
    const crashedBusy = await BusyNode.prepare(crashed, crashedNode, {
      logFile: join(logs, 'b1.log'),
    });
    await crashedBusy.start();
    const orphanBusy = await BusyNode.prepare(orphan, orphanNode, {
      logFile: join(logs, 'b2.log'),
    });
    await orphanBusy.start();
    const cgroupDirs = [crashedBusy, orphanBusy].flatMap((busy) =>
      (busy.placement.cgroupProcsFiles ?? []).map((file) => dirname(file)),
    );
    const stranger = `mm${testRunId()}-x`;
    await runCommand('ip', ['netns', 'add', stranger]);
    const sleeper = await spawnInNamespace({
      namespace: crashedNode.namespace,
      command: 'sleep',
      args: ['60'],
      logFile: join(logs, 'stale-sleeper.log'),
    });
    // A crash: the record names a process that is gone. An orphan: even the record is gone.
    const record = join(DEFAULT_STATE_DIR, `${crashed.runId}.json`);
    writeFileSync(record, readFileSync(record, 'utf8').replace(/"pid":\d+/, '"pid":999999999'));
    const orphanRecord = join(DEFAULT_STATE_DIR, `${orphan.runId}.json`);
    writeFileSync(
      orphanRecord,
      readFileSync(orphanRecord, 'utf8').replace(/"pid":\d+/, '"pid":999999999'),
    );
    await runCommand('rm', [orphanRecord]);

    try {
      const removed = await LabNetwork.cleanupStale({ logger: quiet });

      expect(removed).toEqual(
        expect.arrayContaining([
          `netns mm${crashed.runId}-n1`,
          `netns mm${crashed.runId}-n2`,
          `link mm${crashed.runId}-br`,
          `netns mm${orphan.runId}-n1`,
          `link mm${orphan.runId}-br`,
        ]),
      );
      expect(await leftovers(crashed.runId)).toEqual([]);
      expect(await leftovers(orphan.runId)).toEqual([]);
      expect(existsSync(record)).toBe(false);
      expect(cgroupDirs.filter((dir) => existsSync(dir))).toEqual([]);
      await sleeper.exited;
      expect(await leftovers(live.runId)).toHaveLength(3);
      expect((await runCommand('ip', ['netns', 'list'])).includes(stranger)).toBe(true);
    } finally {
      await runCommand('ip', ['netns', 'del', stranger]);
    }
  });
});
