import { problemsOf, withChanges } from '../testing/decode-helpers.js';
import { OutboundMessageError } from '../validation/codec.js';
import {
  decodeFlowMap,
  encodeFlowMap,
  MAX_FLOW_MAP_ADDRESSES,
  type FlowMap,
} from './flow-map.dto.js';

const map: FlowMap = {
  v: 1,
  cluster: 'lab',
  node: 'n1',
  addresses: ['10.77.0.2', 'fd00::2'],
  observedAtMs: 1_700_000_000_000,
  intervalMs: 2000,
  peers: [
    { node: 'n2', tcp: 2, udp: 0, conntrack: 3 },
    { node: 'n3', tcp: 0, udp: 1, conntrack: 0 },
  ],
  unknownFlows: 4,
  ignoredFlows: 17,
  conntrack: 'available',
};

describe('flow map contract', () => {
  it('round trip - a map with peers and one without', () => {
    const empty: FlowMap = { ...map, peers: [], unknownFlows: 0, conntrack: 'unavailable' };

    expect(decodeFlowMap(encodeFlowMap(map))).toEqual({ ok: true, value: map });
    expect(decodeFlowMap(encodeFlowMap(empty))).toEqual({ ok: true, value: empty });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a bad node name', { node: 'n.1' }, 'node', 'must be a node name'],
    ['a bad cluster', { cluster: 'Lab' }, 'cluster', 'must be a cluster name'],
    ['a host name as address', { addresses: ['10.0.0.1', 'n2'] }, 'addresses.1', 'must be an IPv4'],
    [
      'too many addresses',
      { addresses: Array.from({ length: MAX_FLOW_MAP_ADDRESSES + 1 }, () => '10.0.0.1') },
      'addresses',
      'must be an array of at most 64',
    ],
    ['a fractional interval', { intervalMs: 2000.5 }, 'intervalMs', 'must be an integer'],
    ['a tiny interval', { intervalMs: 10 }, 'intervalMs', 'must be an integer from 100'],
    ['a negative count', { unknownFlows: -1 }, 'unknownFlows', 'must be an integer >= 0'],
    [
      'a peer with a bad count',
      { peers: [{ node: 'n2', tcp: 1, udp: 'x', conntrack: 0 }] },
      'peers.0.udp',
      'must be an integer >= 0',
    ],
    ['a peer that is not an object', { peers: [7] }, 'peers.0', 'must be an object'],
    ['an unknown conntrack status', { conntrack: 'maybe' }, 'conntrack', 'must be one of'],
    ['an unknown field', { extra: 1 }, 'extra', 'is not allowed'],
    ['a missing field', { peers: undefined }, 'peers', 'must be an array'],
  ])('decode - refuses %s, naming the field', (_case, changes, field, rule) => {
    const problems = problemsOf(decodeFlowMap(withChanges(map, changes)));

    expect(problems).toEqual([expect.objectContaining({ field })]);
    expect(problems[0].rule).toContain(rule);
  });

  it('decode - refuses garbage without throwing', () => {
    expect(problemsOf(decodeFlowMap('not json'))).toEqual([
      { field: '(body)', rule: 'must be JSON' },
    ]);
    expect(problemsOf(decodeFlowMap('[]'))[0].field).toBe('(body)');
  });

  it('encode - throws on a map the receivers would refuse', () => {
    expect(() => encodeFlowMap({ ...map, addresses: ['nowhere'] })).toThrow(OutboundMessageError);
  });
});
