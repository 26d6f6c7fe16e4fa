import { Logger } from '@nestjs/common';

/** All cleanups together get this long; Ctrl-C must never leave the terminal hanging. */
export const CLEANUP_BUDGET_MS = 10_000;

/** Exit codes of a process ended by a signal, as shells report them (128 + number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;

/** The parts of `process` the registry uses, so tests can hand in a fake. */
export interface ProcessHooks {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code: number): void;
  exitCode?: number | string | null;
}

export interface CleanupLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

interface Cleanup {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

/**
 * Cleanups that must run however the process ends: normal end, Ctrl-C, SIGTERM, SIGHUP,
 * an uncaught exception or an unhandled rejection. Each runs once, newest first (what was
 * built last is taken down first: services before the network they run in), one after the
 * other, all within one budget; one that fails or overruns is logged and the next runs.
 *
 * `process.exit()` elsewhere skips them (an 'exit' listener cannot wait for anything), so
 * code that wants to end early calls `exitAfterCleanup(code)` instead.
 */
export class ExitCleanup {
  private readonly cleanups: Cleanup[] = [];
  private running: Promise<void> | null = null;
  private exiting = false;
  private readonly listeners = new Map<string, (...args: unknown[]) => void>();

  constructor(
    private readonly hooks: ProcessHooks = process as unknown as ProcessHooks,
    private readonly logger: CleanupLogger = new Logger('ExitCleanup'),
    private readonly budgetMs = CLEANUP_BUDGET_MS,
  ) {}

  /** Registers a cleanup and installs the handlers on first use; returns an unregister. */
  add(name: string, run: () => Promise<unknown>): () => void {
    const cleanup = { name, run };
    this.cleanups.push(cleanup);
    this.install();
    return () => {
      const index = this.cleanups.indexOf(cleanup);
      if (index >= 0) this.cleanups.splice(index, 1);
    };
  }

  /** Runs every cleanup once; later calls wait for the same run. Never rejects. */
  runAll(): Promise<void> {
    this.running ??= this.runInOrder();
    return this.running;
  }

  /** Runs the cleanups, then exits with `code`. A second call only waits. */
  async exitAfterCleanup(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    await this.runAll();
    this.uninstall();
    this.hooks.exit(code);
  }

  private install(): void {
    if (this.listeners.size > 0) return;
    for (const signal of Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[]) {
      this.listen(signal, () => {
        if (this.exiting) {
          this.logger.warn(
            `${signal} again: still cleaning up (at most ${this.budgetMs / 1000} s)`,
          );
          return;
        }
        this.logger.warn(`${signal}: cleaning up before exit`);
        void this.exitAfterCleanup(SIGNAL_EXIT_CODES[signal]);
      });
    }
    this.listen('uncaughtException', (error) => this.crash('uncaught exception', error));
    this.listen('unhandledRejection', (reason) => this.crash('unhandled rejection', reason));
    // The event loop ran dry: the program ended normally and may still wait for promises.
    this.listen('beforeExit', () => {
      if (this.running) return;
      const code = Number(this.hooks.exitCode ?? 0) || 0;
      void this.exitAfterCleanup(code);
    });
    this.listen('exit', () => {
      if (!this.running && this.cleanups.length > 0) {
        this.logger.warn(
          'process.exit() was called before cleanup ran; the next lab start removes the leftovers',
        );
      }
    });
  }

  private listen(event: string, listener: (...args: unknown[]) => void): void {
    this.listeners.set(event, listener);
    this.hooks.on(event, listener);
  }

  private uninstall(): void {
    for (const [event, listener] of this.listeners) this.hooks.off(event, listener);
    this.listeners.clear();
  }

  private crash(what: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.logger.error(`${what}: ${detail}`);
    void this.exitAfterCleanup(1);
  }

  private async runInOrder(): Promise<void> {
    const deadline = Date.now() + this.budgetMs;
    for (const cleanup of [...this.cleanups].reverse()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.logger.error(`cleanup budget of ${this.budgetMs} ms spent; skipped "${cleanup.name}"`);
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const overrun = new Promise<'overrun'>((resolve) => {
        timer = setTimeout(resolve, left, 'overrun');
      });
      try {
        const outcome = await Promise.race([cleanup.run().then(() => 'done' as const), overrun]);
        if (outcome === 'overrun') {
          this.logger.error(`cleanup "${cleanup.name}" still running when the budget ran out`);
        }
      } catch (error) {
        this.logger.error(
          `cleanup "${cleanup.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        clearTimeout(timer);
      }
    }
    this.cleanups.length = 0;
  }
}

/** The process-wide registry the lab uses. */
export const exitCleanup = new ExitCleanup();

/** Shorthand for `exitCleanup.add`. */
export function onExitCleanup(name: string, run: () => Promise<unknown>): () => void {
  return exitCleanup.add(name, run);
}
