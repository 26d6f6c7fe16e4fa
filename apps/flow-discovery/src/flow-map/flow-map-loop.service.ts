import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { encodeFlowMap, ErrorCodes } from '@meshmon/contracts';
import type { AddressDirectory } from '@meshmon/discovery';
import { FLOW_DISCOVERY_RUNTIME, type FlowDiscoveryRuntime } from '../flow-discovery.runtime.js';
import { ConntrackReader } from '../sources/conntrack-reader.js';
import { ADDRESS_DIRECTORY } from '../directory/address-directory.provider.js';
import { FlowObserver, type SourceProblems } from './flow-observer.js';

/** A source that keeps producing bad lines is reported at most this often. */
const PROBLEM_REPORT_EVERY_MS = 60_000;

/**
 * Publishes this node's flow map every interval, also when it has no flows: the map
 * carries the node's addresses, which is how the other nodes learn them. Polls are
 * chained (the next is armed when one ends), so a slow conntrack never overlaps itself.
 */
@Injectable()
export class FlowMapLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FlowMapLoop.name);
  private readonly observer: FlowObserver;
  private readonly lastReportMs = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(FLOW_DISCOVERY_RUNTIME) private readonly runtime: FlowDiscoveryRuntime,
    @Inject(ADDRESS_DIRECTORY) private readonly directory: AddressDirectory,
  ) {
    this.observer = new FlowObserver(runtime.config, new ConntrackReader(runtime.config.conntrack));
  }

  onApplicationBootstrap(): void {
    this.arm(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    // Let a poll in progress finish, so nothing publishes after NATS is drained.
    await this.running;
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll().finally(() => {
        this.running = null;
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const startedMs = Date.now();
    const { config, connection, subjects, events } = this.runtime;
    const subject = subjects.flows(config.node);
    try {
      const observation = await this.observer.observe(
        this.directory.snapshot(startedMs),
        startedMs,
      );
      if (!this.stopped) connection.publish(subject, encodeFlowMap(observation.map));
      this.report(observation.problems, startedMs);
    } catch (error) {
      // A bug or a closed connection: say so and keep polling, never take the node down.
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`flow map for ${config.node} not published: ${message}`);
      events.error({ subject, code: ErrorCodes.internal, message });
    }
    this.arm(Math.max(0, config.intervalMs - (Date.now() - startedMs)));
  }

  private report(problems: readonly SourceProblems[], nowMs: number): void {
    for (const { source, problems: lines } of problems) {
      const last = this.lastReportMs.get(source);
      if (last !== undefined && nowMs - last < PROBLEM_REPORT_EVERY_MS) continue;
      this.lastReportMs.set(source, nowMs);
      const message = `${source}: ${lines.length} line(s) not understood; the others were counted`;
      this.logger.warn(message);
      this.runtime.events.error({
        subject: this.runtime.subjects.flows(this.runtime.config.node),
        code: 'unreadable-flows',
        message,
        problems: lines.map(({ line, field, rule }) => ({
          field: `${source}.line${line}.${field}`,
          rule,
        })),
      });
    }
  }
}
