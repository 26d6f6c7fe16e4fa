import { describe, expect, it } from '@jest/globals';
import type { FlowMap } from '@meshmon/contracts';
import { FlowView } from './flow-view.js';

const map = (node: string, observedAtMs: number, peers: FlowMap['peers']): FlowMap => ({
  v: 1,
  cluster: 'c1',
  node,
  addresses: ['10.0.0.1'],
  observedAtMs,
  intervalMs: 1000,
  peers,
  unknownFlows: 0,
  ignoredFlows: 0,
  conntrack: 'available',
});
const peer = (node: string, tcp: number) => ({ node, tcp, udp: 0, conntrack: 0 });

describe(FlowView.name, () => {
  it('flow view - each node’s latest map, peers with traffic only, ordered by node and peer', () => {
    const sut = new FlowView();
    sut.apply(map('b', 10, [peer('a', 1)]));
    sut.apply(map('a', 10, [peer('c', 2), peer('b', 0)]));
    sut.apply(map('a', 20, [peer('c', 5), peer('b', 1)]));
    sut.apply(map('a', 15, [peer('c', 9)]));

    expect(sut.flows().map((flow) => [flow.node, flow.peer, flow.tcp, flow.lastSeenMs])).toEqual([
      ['a', 'b', 1, 20],
      ['a', 'c', 5, 20],
      ['b', 'a', 1, 10],
    ]);
  });

  it('flow view - nodes beyond its bound are ignored and counted, known ones still update', () => {
    const sut = new FlowView(1);
    sut.apply(map('a', 1, [peer('b', 1)]));
    sut.apply(map('z', 1, [peer('a', 1)]));
    sut.apply(map('a', 2, [peer('b', 3)]));

    expect(sut.ignored).toBe(1);
    expect(sut.flows()).toEqual([
      { node: 'a', peer: 'b', tcp: 3, udp: 0, conntrack: 0, lastSeenMs: 2, intervalMs: 1000 },
    ]);
  });
});
