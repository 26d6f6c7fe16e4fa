import type { Problem } from '@meshmon/scheduling';
import type { ServiceName } from '@meshmon/contracts';
import {
  startHealthServer,
  type HealthServer,
  type MetricsSource,
} from '../health/health-server.js';
import { healthSettings, type HealthSettings } from '../health/health-settings.js';
import type { Readiness } from '../health/readiness.js';
import { startProblem, type StartProblem } from './start-problem.js';

/** Exit code for anything the operator must fix (configuration, a missing server). */
export const EXIT_USAGE = 2;
/** A shutdown that hangs would leave the lab (or the orchestrator) waiting on the process. */
const SHUTDOWN_LIMIT_MS = 10_000;
/** Waits between start attempts while a server the service needs does not answer. */
const RETRY_DELAYS_MS = [2000, 4000, 8000, 16_000, 30_000];

/** What a started service offers its process. */
export interface RunningService {
  close(): Promise<void>;
  /** What keeps it from working now (a dependency down); absent = always ready once started. */
  readiness?: Readiness;
  /** A stray rejection: the service reports it its own way (e.g. on `events.error`). */
  reportStray?(reason: unknown): void;
  /** Its own Prometheus figures, served on the health port's `/metrics`. */
  readonly metrics?: MetricsSource;
}

export interface ProcessOptions<T extends RunningService> {
  /** `meshmon-<service>`, the prefix of every line the process writes itself. */
  readonly name: string;
  readonly service: ServiceName;
  readonly start: () => Promise<T>;
  /** More failures the operator must fix, besides bad settings, no NATS, no Redis. */
  readonly isUsageError?: (error: unknown) => Problem | null;
  readonly started?: (service: T) => void;
  /** The gateway: once running it serves `/health/*` itself, on the same port. */
  readonly servesOwnHealth?: boolean;
  /** Asked before another start attempt: false while it would surely fail again. */
  readonly worthRetrying?: () => Promise<boolean>;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A Meshmon service as a process: starts it, stops it cleanly on SIGTERM or SIGINT (exit
 * 0, or 1 when the shutdown hangs), and reports a stray rejection instead of dying of it.
 *
 * What the operator must fix (a bad setting, a server that does not answer) is one line
 * naming the setting, never a stack trace. As a plain process (no MESHMON_HEALTH_PORT)
 * it then exits 2. In a container it stays up instead, `/health/live` 200 and
 * `/health/ready` 503 with the problems, so an orchestrator shows it not ready rather
 * than restarting it in a loop; it retries when waiting can help (a server not up yet).
 */
export async function runServiceProcess<T extends RunningService>(
  options: ProcessOptions<T>,
): Promise<void> {
  const health = healthSettings(options.service, options.env ?? process.env);
  const say = (line: string) => process.stderr.write(`${options.name}: ${line}\n`);
  let server: HealthServer | null = null;
  let service: T | null = null;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    await service?.close();
    await server?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // A bug in one callback must not take the service down: report it and carry on.
  process.on('unhandledRejection', (reason) => {
    if (service?.reportStray) service.reportStray(reason);
    else say(`unhandled rejection: ${String(reason)}`);
  });

  const serveHealth = async (readiness: Readiness, settings: HealthSettings): Promise<void> => {
    if (server) return server.setReadiness(readiness);
    try {
      server = await startHealthServer(settings.port, settings.host, readiness);
    } catch (error) {
      say(
        `cannot serve health on port ${settings.port} (${(error as Error).message}); set MESHMON_HEALTH_PORT`,
      );
      process.exit(EXIT_USAGE);
    }
  };
  if (health?.problems.length) say(`not ready: ${describe(health.problems)}`);
  if (health && !options.servesOwnHealth) {
    await serveHealth(async () => [{ field: 'service', rule: 'is starting' }], health);
  }

  for (let attempt = 0; service === null; attempt += 1) {
    let problem: StartProblem | null;
    try {
      const started = await options.start();
      if (stopping) return void (await started.close());
      service = started;
      break;
    } catch (error) {
      problem = startProblem(error, options.isUsageError);
      if (problem === null) throw error;
    }
    if (!health) {
      say(describe(problem.problems));
      process.exit(EXIT_USAGE);
    }
    const waitMs = problem.retry
      ? RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]
      : null;
    const next =
      waitMs === null
        ? 'fix the setting, then restart the service'
        : `retrying in ${waitMs / 1000} s`;
    say(`not ready: ${describe(problem.problems)}; ${next}`);
    const held = [...health.problems, ...problem.problems];
    await serveHealth(async () => held, health);
    // Not retrying: the health server alone keeps the process (and its answer) up.
    if (waitMs === null || stopping) return;
    await sleep(waitMs);
    for (let check = 0; options.worthRetrying && !stopping && check < 1000; check += 1) {
      if (await options.worthRetrying()) break;
      await sleep(RETRY_DELAYS_MS[0]);
    }
    if (stopping) return;
    if (options.servesOwnHealth && server) {
      await (server as HealthServer).close();
      server = null;
    }
  }
  // One line on stdout, so `docker logs` and `kubectl logs` show when a service came up.
  const where = health && !options.servesOwnHealth ? ` (health on port ${health.port})` : '';
  process.stdout.write(`${options.name}: started${where}\n`);
  options.started?.(service);
  const running = service;
  if (server && health) {
    (server as HealthServer).setReadiness(async () => [
      ...health.problems,
      ...((await running.readiness?.()) ?? []),
    ]);
    if (running.metrics) (server as HealthServer).setMetrics(running.metrics);
  }
}

function describe(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.rule}`).join('; ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
