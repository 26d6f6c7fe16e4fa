import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { decodeFlowMap, ErrorCodes, type Problem } from '@meshmon/contracts';
import type { AddressDirectory } from '@meshmon/discovery';
import { FLOW_DISCOVERY_RUNTIME, type FlowDiscoveryRuntime } from '../flow-discovery.runtime.js';
import { ADDRESS_DIRECTORY } from './address-directory.provider.js';

/** A node is forgotten after missing this many of its own intervals. */
const MISSED_INTERVALS = 3;

/**
 * Learns the other nodes' addresses from their flow maps (`flows.*`): the directory
 * that lets this node name the peers of its flows. Every inbound map is validated; a
 * bad one is reported on events.error and dropped, and the directory keeps what it had.
 */
@Injectable()
export class FlowMapListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FlowMapListener.name);
  private subscription: Subscription | null = null;

  constructor(
    @Inject(FLOW_DISCOVERY_RUNTIME) private readonly runtime: FlowDiscoveryRuntime,
    @Inject(ADDRESS_DIRECTORY) private readonly directory: AddressDirectory,
  ) {}

  onApplicationBootstrap(): void {
    const { connection, subjects } = this.runtime;
    this.subscription = connection.subscribe(subjects.flowsWildcard, {
      callback: (error, message) => {
        if (error) this.logger.warn(`subscription to ${subjects.flowsWildcard}: ${error.message}`);
        else this.receive(message.subject, message.data, Date.now());
      },
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** One inbound flow map. Never throws. */
  receive(subject: string, data: Uint8Array, nowMs: number): void {
    const { config, subjects } = this.runtime;
    const parsed = subjects.parse(subject);
    if (parsed?.kind !== 'flows' || parsed.node === config.node) return;
    const decoded = decodeFlowMap(data);
    if (!decoded.ok) {
      this.refuse(subject, `invalid flow map from ${parsed.node}`, decoded.problems);
      return;
    }
    const map = decoded.value;
    // The subject names the sender; a map claiming another node or cluster is refused,
    // or one node could take over another's addresses.
    const mismatch: Problem[] = [];
    if (map.node !== parsed.node) mismatch.push({ field: 'node', rule: 'must match the subject' });
    if (map.cluster !== config.cluster) {
      mismatch.push({ field: 'cluster', rule: `must be ${config.cluster}` });
    }
    if (mismatch.length > 0) {
      this.refuse(subject, `flow map from ${parsed.node} does not match its subject`, mismatch);
      return;
    }
    const ttlMs = MISSED_INTERVALS * map.intervalMs + config.intervalMs;
    if (!this.directory.update(map.node, map.addresses, nowMs, ttlMs)) {
      this.logger.warn(`directory full: addresses of ${map.node} not learnt`);
    }
  }

  private refuse(subject: string, message: string, problems: readonly Problem[]): void {
    this.logger.warn(`${message} on ${subject}`);
    this.runtime.events.error({ subject, code: ErrorCodes.invalidMessage, message, problems });
  }
}
