/**
 * `flows.<node>`: one node's flow map, published by its flow discovery every interval
 * (also with no flows, so that every node learns the others' addresses within one
 * interval). It says which Meshmon nodes this node exchanges traffic with, counted per
 * source: sockets of the node's network namespace (`tcp`, `udp`) and conntrack entries
 * (`conntrack`, which also sees short connections that closed between two reads).
 * Meshmon's own traffic (NATS, Redis, InfluxDB, the gateway, iperf3) and loopback are
 * counted in `ignoredFlows`, never as peers. Controllers in discovery mode turn the
 * peers into intents.
 */
import { isIP } from 'class-validator';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import {
  customRule,
  IsClusterName,
  IsIntAtLeast,
  IsIntBetween,
  IsLiteral,
  IsNodeName,
  IsOneOf,
  NestedList,
  withSubpath,
} from '../validation/rules.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { MAX_MEMBERS } from '../scheduler/limits.js';

/** A node with more addresses than this lists the first ones (its configured one first). */
export const MAX_FLOW_MAP_ADDRESSES = 64;
/** One entry per other node at most; the cluster size limit. */
export const MAX_FLOW_MAP_PEERS = MAX_MEMBERS;
/** From 100 ms (tests) to an hour. */
export const MIN_FLOW_MAP_INTERVAL_MS = 100;
export const MAX_FLOW_MAP_INTERVAL_MS = 3_600_000;

export const CONNTRACK_STATUSES = ['available', 'unavailable'] as const;
export type ConntrackStatus = (typeof CONNTRACK_STATUSES)[number];

export interface FlowPeer {
  readonly node: string;
  /** TCP sockets (IPv4 and IPv6) connected to that node. */
  readonly tcp: number;
  /** Connected UDP sockets to that node. */
  readonly udp: number;
  /** conntrack entries with that node (0 when conntrack is unavailable). */
  readonly conntrack: number;
}

export interface FlowMap {
  readonly v: ContractVersion;
  readonly cluster: string;
  readonly node: string;
  /** This node's IPv4 and IPv6 addresses: how the other nodes recognise its flows. */
  readonly addresses: readonly string[];
  /** When the flows were read (ms since the epoch, the publisher's clock). */
  readonly observedAtMs: number;
  /** How often the node publishes; receivers forget its addresses after a few. */
  readonly intervalMs: number;
  readonly peers: readonly FlowPeer[];
  /** Flows to addresses no Meshmon node claims. */
  readonly unknownFlows: number;
  /** Meshmon's own, loopback, and forwarded flows. */
  readonly ignoredFlows: number;
  readonly conntrack: ConntrackStatus;
}

const ADDRESSES_RULE = `must be an array of at most ${MAX_FLOW_MAP_ADDRESSES} IP addresses`;

const IsAddressList = (): PropertyDecorator =>
  customRule('isAddressList', (value) => {
    if (!Array.isArray(value) || value.length > MAX_FLOW_MAP_ADDRESSES) return ADDRESSES_RULE;
    const bad = value.findIndex((item) => typeof item !== 'string' || !isIP(item));
    return bad === -1 ? null : withSubpath(bad, 'must be an IPv4 or IPv6 address');
  });

export class FlowPeerV1 implements FlowPeer {
  @IsNodeName() readonly node!: string;
  @IsIntAtLeast(0) readonly tcp!: number;
  @IsIntAtLeast(0) readonly udp!: number;
  @IsIntAtLeast(0) readonly conntrack!: number;
}

export class FlowMapV1 implements FlowMap {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsClusterName() readonly cluster!: string;
  @IsNodeName() readonly node!: string;
  @IsAddressList() readonly addresses!: readonly string[];
  @IsIntAtLeast(0) readonly observedAtMs!: number;
  @IsIntBetween(MIN_FLOW_MAP_INTERVAL_MS, MAX_FLOW_MAP_INTERVAL_MS) readonly intervalMs!: number;
  @NestedList(() => FlowPeerV1, MAX_FLOW_MAP_PEERS) readonly peers!: readonly FlowPeer[];
  @IsIntAtLeast(0) readonly unknownFlows!: number;
  @IsIntAtLeast(0) readonly ignoredFlows!: number;
  @IsOneOf(CONNTRACK_STATUSES) readonly conntrack!: ConntrackStatus;
}

export const FlowMapContract = defineContract<FlowMap>('flow map', FlowMapV1);

export const decodeFlowMap = (payload: Uint8Array | string): Decoded<FlowMap> =>
  decodeWith(FlowMapContract, payload);

export const encodeFlowMap = (map: FlowMap): Uint8Array => encodeWith(FlowMapContract, map);
