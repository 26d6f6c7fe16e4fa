import { execFile } from 'node:child_process';
import { Logger } from '@nestjs/common';
import { parseConntrack, type ConntrackFlow, type LineProblem } from '@meshmon/discovery';
import type { ConntrackSettings } from '../config/flow-discovery-config.js';

export type ConntrackStatus = 'available' | 'unavailable';

export interface ConntrackSnapshot {
  readonly status: ConntrackStatus;
  readonly flows: ConntrackFlow[];
  readonly problems: LineProblem[];
}

/** A listing larger than this is cut off by Node (and counted as a failure). */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Runs `conntrack -L` when it works here. It needs the binary, the nf_conntrack module
 * and CAP_NET_ADMIN; without any of them every call fails the same way, so after a
 * failure the status is cached as unavailable and the command is tried again only
 * after `retryMs`, not on every poll. Never throws: a failed run is just "unavailable".
 */
export class ConntrackReader {
  private readonly logger = new Logger(ConntrackReader.name);
  private status: ConntrackStatus | null = null;
  private retryAtMs = 0;

  constructor(private readonly settings: ConntrackSettings) {}

  async read(nowMs: number): Promise<ConntrackSnapshot> {
    if (this.status === 'unavailable' && nowMs < this.retryAtMs) return this.unavailable();
    try {
      const text = await this.run();
      if (this.status !== 'available') this.logger.log(`${this.settings.command} -L works here`);
      this.status = 'available';
      const parsed = parseConntrack(text);
      return { status: 'available', flows: parsed.flows, problems: parsed.problems };
    } catch (error) {
      // Logged on the change only: a node without conntrack would otherwise log every minute.
      if (this.status !== 'unavailable') {
        this.logger.warn(
          `${this.settings.command} -L failed (${(error as Error).message.trim()}); ` +
            `counting sockets only, retrying every ${this.settings.retryMs} ms`,
        );
      }
      this.status = 'unavailable';
      this.retryAtMs = nowMs + this.settings.retryMs;
      return this.unavailable();
    }
  }

  private unavailable(): ConntrackSnapshot {
    return { status: 'unavailable', flows: [], problems: [] };
  }

  private run(): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        this.settings.command,
        ['-L'],
        {
          timeout: this.settings.timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_OUTPUT_BYTES,
          encoding: 'utf8',
        },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
  }
}
