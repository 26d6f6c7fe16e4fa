import { ConfigError } from '@meshmon/cli';
import { NatsUnavailableError } from './connect-nats.js';

/** Exit code for anything the operator must fix (configuration, a missing server). */
export const EXIT_USAGE = 2;
/** A shutdown that hangs would leave the lab (or the orchestrator) waiting on the process. */
const SHUTDOWN_LIMIT_MS = 10_000;

export interface ProcessOptions<T extends { close(): Promise<void> }> {
  /** `meshmon-<service>`, the prefix of every line the process writes itself. */
  readonly name: string;
  readonly start: () => Promise<T>;
  /** More failures the operator must fix, besides bad settings and no NATS (e.g. a port). */
  readonly isUsageError?: (error: unknown) => string | null;
  readonly started?: (service: T) => void;
}

/**
 * A Meshmon service as a process: starts it, exits 2 with one line (no stack trace) for
 * what the operator must fix, stops it cleanly on SIGTERM or SIGINT (exit 0, or 1 when
 * the shutdown hangs), and reports a stray rejection instead of dying of it.
 */
export async function runServiceProcess<T extends { close(): Promise<void> }>(
  options: ProcessOptions<T>,
): Promise<void> {
  let service: T;
  try {
    service = await options.start();
  } catch (error) {
    const usage =
      error instanceof ConfigError || error instanceof NatsUnavailableError
        ? error.message
        : (options.isUsageError?.(error) ?? null);
    if (usage === null) throw error;
    process.stderr.write(`${options.name}: ${usage}\n`);
    process.exit(EXIT_USAGE);
  }
  options.started?.(service);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    await service.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // A bug in one callback must not take the service down: report it and carry on.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${options.name}: unhandled rejection: ${String(reason)}\n`);
  });
}
