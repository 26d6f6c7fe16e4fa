/**
 * Two real flow discovery apps (nodes a and b) on one host and the real NATS. Nodes
 * are told apart by loopback addresses (127.0.0.2 and 127.0.0.3), so loopback flows are
 * counted here (MESHMON_DISCOVERY_ALLOW_LOOPBACK, for this test only).
 */
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  decodeErrorEventMessage,
  decodeFlowMap,
  decodeSchedulerEventMessage,
  encodeFlowMap,
  Subjects,
  type ErrorEventMessage,
  type FlowMap,
} from '@meshmon/contracts';
import { startFlowDiscovery } from './bootstrap.js';
import {
  developerNatsLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(60_000);

const NATS_URL = 'nats://127.0.0.1:4222';
const INTERVAL_MS = 250;
const IPERF_BASE = 15_201;

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('flow discovery', () => {
  const cluster = `fd-${randomBytes(4).toString('hex')}`;
  const subjects = new Subjects(cluster);
  // A third node that exists only through the flow maps this test publishes for it.
  const addressC = `127.${100 + (randomBytes(1)[0] % 100)}.${randomBytes(1)[0]}.4`;
  const maps: FlowMap[] = [];
  const errors: ErrorEventMessage[] = [];
  const lifecycle: string[] = [];
  const sockets: net.Socket[] = [];
  const servers: net.Server[] = [];
  const apps = new Map<string, { close(): Promise<void> }>();
  let nc: NatsConnection;

  const envFor = (node: string, address: string) => ({
    MESHMON_NODE: node,
    MESHMON_CLUSTER: cluster,
    MESHMON_NATS_URL: NATS_URL,
    ...serviceLoginEnv('flow-discovery'),
    MESHMON_ADDRESS: address,
    MESHMON_DISCOVERY_INTERVAL_MS: String(INTERVAL_MS),
    MESHMON_DISCOVERY_ALLOW_LOOPBACK: 'true',
    MESHMON_IPERF_PORT_BASE: String(IPERF_BASE),
    MESHMON_IPERF_PORT_COUNT: '4',
  });

  const listen = async (host: string, port = 0): Promise<net.Server> => {
    const server = net.createServer((socket) => sockets.push(socket));
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return server;
  };

  const dial = async (from: string, server: net.Server): Promise<void> => {
    const { address, port } = server.address() as net.AddressInfo;
    const socket = net.connect({ host: address, port, localAddress: from });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  };

  /** A map from `node` observed at or after `sinceMs` that satisfies `test`. */
  const mapFrom = (node: string, sinceMs: number, test: (map: FlowMap) => boolean = () => true) =>
    maps.find((map) => map.node === node && map.observedAtMs >= sinceMs && test(map));

  const lists = (peer: string) => (map: FlowMap) => map.peers.some((entry) => entry.node === peer);

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL, ...developerNatsLogin() });
    nc.subscribe(subjects.flowsWildcard, {
      callback: (_error, message) => {
        const decoded = decodeFlowMap(message.data);
        if (decoded.ok) maps.push(decoded.value);
      },
    });
    nc.subscribe(subjects.eventsWildcard, {
      callback: (_error, message) => {
        const error = decodeErrorEventMessage(message.data);
        if (error.ok) errors.push(error.value);
        const event = decodeSchedulerEventMessage(message.data);
        if (event.ok && event.value.service === 'flow-discovery') {
          lifecycle.push(`${event.value.node} ${event.value.event.type}`);
        }
      },
    });
    await nc.flush();
    apps.set('a', await startFlowDiscovery(envFor('a', '127.0.0.2'), ['error']));
    apps.set('b', await startFlowDiscovery(envFor('b', '127.0.0.3'), ['error']));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) server.close();
    for (const app of apps.values()) await app.close();
    await nc?.drain();
  });

  it('flow discovery - announces itself and publishes a map with its address', async () => {
    await until('service-started from a and b', () =>
      ['a service-started', 'b service-started'].every((entry) => lifecycle.includes(entry))
        ? true
        : undefined,
    );
    const map = await until('a flow map from b', () => mapFrom('b', 0));

    expect(map.addresses[0]).toBe('127.0.0.3');
    expect(map.intervalMs).toBe(INTERVAL_MS);
  });

  it('flow discovery - each end of a TCP connection lists the other node', async () => {
    const server = await listen('127.0.0.3');
    await dial('127.0.0.2', server);
    const connectedMs = Date.now();

    const fromA = await until('a listing b', () => mapFrom('a', connectedMs, lists('b')));
    const fromB = await until('b listing a', () => mapFrom('b', connectedMs, lists('a')));

    expect(fromA.peers.find((peer) => peer.node === 'b')?.tcp).toBeGreaterThanOrEqual(1);
    expect(fromB.peers.find((peer) => peer.node === 'a')?.tcp).toBeGreaterThanOrEqual(1);
  });

  it("flow discovery - leaves out a connection to Meshmon's iperf3 port range", async () => {
    const announceC = (): void => {
      const map: FlowMap = {
        v: 1,
        cluster,
        node: 'c',
        addresses: [addressC],
        observedAtMs: Date.now(),
        intervalMs: 60_000,
        peers: [],
        unknownFlows: 0,
        ignoredFlows: 0,
        conntrack: 'unavailable',
      };
      nc.publish(subjects.flows('c'), encodeFlowMap(map));
    };
    announceC();
    await nc.flush();
    const iperf = await listen(addressC, IPERF_BASE + 2);
    await dial('127.0.0.2', iperf);
    const connectedMs = Date.now();

    // Several polls with the connection open: none may list c.
    await until('three maps of a', () =>
      maps.filter((map) => map.node === 'a' && map.observedAtMs >= connectedMs).length >= 3
        ? true
        : undefined,
    );
    expect(mapFrom('a', connectedMs, lists('c'))).toBeUndefined();

    // The same address on an ordinary port is listed: c was known all along.
    const other = await listen(addressC);
    await dial('127.0.0.2', other);
    const controlMs = Date.now();
    const listed = await until('a listing c', () => mapFrom('a', controlMs, lists('c')));
    expect(listed.peers.find((peer) => peer.node === 'c')?.tcp).toBe(1);
  });

  it('flow discovery - reports a garbage flow map and keeps running', async () => {
    const sentMs = Date.now();
    nc.publish(subjects.flows('x'), new TextEncoder().encode('{"v":1,"node":"x","garbage":'));

    for (const node of ['a', 'b']) {
      const error = await until(`${node}'s error event`, () =>
        errors.find((event) => event.node === node && event.subject === subjects.flows('x')),
      );
      expect(error).toMatchObject({ service: 'flow-discovery', code: 'invalid-message' });
      expect(error.problems).toEqual([{ field: '(body)', rule: 'must be JSON' }]);
      await until(`a map from ${node} after the garbage`, () => mapFrom(node, sentMs + 1));
    }
  });

  it('flow discovery - announces service-stopping when closed', async () => {
    await apps.get('b')?.close();
    apps.delete('b');

    await until('b service-stopping', () =>
      lifecycle.includes('b service-stopping') ? true : undefined,
    );
  });
});
