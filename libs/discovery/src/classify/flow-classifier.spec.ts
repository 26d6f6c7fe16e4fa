import type { ConntrackFlow, SocketFlow } from '../flow-types.js';
import { classifyFlow, classifyFlows, type ClassifierContext } from './flow-classifier.js';

const socket = (
  protocol: 'tcp' | 'udp',
  local: [string, number],
  remote: [string, number],
): SocketFlow => ({
  source: 'socket',
  protocol,
  local: { address: local[0], port: local[1] },
  remote: { address: remote[0], port: remote[1] },
  state: 1,
});

const tracked = (src: [string, number], dst: [string, number]): ConntrackFlow => ({
  source: 'conntrack',
  protocol: 'tcp',
  src: { address: src[0], port: src[1] },
  dst: { address: dst[0], port: dst[1] },
  state: 'ESTABLISHED',
});

describe(classifyFlows.name, () => {
  let context: ClassifierContext;

  beforeEach(() => {
    context = {
      ownAddresses: new Set(['10.0.0.1', 'fd00::1', '127.0.0.1', '::1']),
      directory: new Map([
        ['10.0.0.2', 'b'],
        ['fd00::2', 'b'],
        ['10.0.0.3', 'c'],
      ]),
      ignorePorts: new Set([4222, 6379, 5201, 5202]),
    };
  });

  it('counts sockets and conntrack entries per peer, by source', () => {
    const flows = [
      socket('tcp', ['10.0.0.1', 40000], ['10.0.0.2', 80]),
      socket('tcp', ['fd00::1', 40001], ['fd00::2', 443]),
      socket('udp', ['10.0.0.1', 41000], ['10.0.0.3', 53]),
      tracked(['10.0.0.1', 40000], ['10.0.0.2', 80]),
      // Opened by c towards us: conntrack's original src is the peer.
      tracked(['10.0.0.3', 50000], ['10.0.0.1', 8080]),
    ];

    const sut = classifyFlows(flows, context);

    expect(sut.peers).toEqual([
      { node: 'b', tcp: 2, udp: 0, conntrack: 1 },
      { node: 'c', tcp: 0, udp: 1, conntrack: 1 },
    ]);
    expect(sut.unknownFlows).toBe(0);
    expect(sut.ignoredFlows).toBe(0);
  });

  it("ignores Meshmon's own traffic whichever end has the port", () => {
    const flows = [
      // Our monitor's iperf3 client (ephemeral port) to b's sensor on 5201.
      socket('tcp', ['10.0.0.1', 45000], ['10.0.0.2', 5201]),
      // b's monitor measuring our sensor: the port is on our side.
      socket('tcp', ['10.0.0.1', 5202], ['10.0.0.2', 46000]),
      socket('tcp', ['10.0.0.1', 47000], ['10.0.0.9', 4222]),
      tracked(['10.0.0.3', 48000], ['10.0.0.1', 6379]),
    ];

    const sut = classifyFlows(flows, context);

    expect(sut.peers).toEqual([]);
    expect(sut.ignored).toEqual({ loopback: 0, meshmon: 4, notLocal: 0, self: 0 });
    expect(sut.ignoredFlows).toBe(4);
  });

  it('counts flows to addresses no node claims as unknown', () => {
    const sut = classifyFlows([socket('tcp', ['10.0.0.1', 40000], ['198.51.100.7', 443])], context);

    expect(sut.unknownFlows).toBe(1);
    expect(sut.peers).toEqual([]);
  });

  it('ignores loopback flows unless allowed', () => {
    const flows = [
      socket('tcp', ['127.0.0.1', 40000], ['127.0.0.1', 8080]),
      socket('tcp', ['::1', 40001], ['::1', 8080]),
    ];

    expect(classifyFlows(flows, context).ignored.loopback).toBe(2);
    const allowed = classifyFlows(flows, { ...context, allowLoopback: true });
    expect(allowed.ignored).toEqual({ loopback: 0, meshmon: 0, notLocal: 0, self: 2 });
  });

  it('maps loopback peers through the directory when loopback is allowed', () => {
    const sut = classifyFlows([socket('tcp', ['127.0.0.2', 40000], ['127.0.0.3', 8080])], {
      ...context,
      ownAddresses: new Set(['127.0.0.2']),
      directory: new Map([['127.0.0.3', 'b']]),
      allowLoopback: true,
    });

    expect(sut.peers).toEqual([{ node: 'b', tcp: 1, udp: 0, conntrack: 0 }]);
  });

  it("lets this node's own addresses win over the directory", () => {
    const sut = classifyFlow(socket('tcp', ['10.0.0.1', 40000], ['10.0.0.1', 80]), {
      ...context,
      directory: new Map([['10.0.0.1', 'b']]),
    });

    expect(sut).toEqual({ kind: 'ignored', reason: 'self' });
  });

  it('leaves out flows where neither end is this node', () => {
    const flows = [
      tracked(['10.0.0.2', 40000], ['10.0.0.3', 80]),
      socket('tcp', ['10.0.0.7', 40000], ['10.0.0.2', 80]),
    ];

    expect(classifyFlows(flows, context).ignored.notLocal).toBe(2);
  });
});
