/** At most this long for all cleanups together, so Ctrl-C never hangs. */
const CLEANUP_BUDGET_MS = 15_000;

const cleanups: (() => Promise<unknown>)[] = [];
let installed = false;
let running: Promise<void> | null = null;

/**
 * Registers a teardown that runs once, whatever ends the process: normal completion (the
 * caller runs it), Ctrl-C, SIGTERM, SIGHUP, or a crash. Namespaces outlive the process
 * that made them, so a lab that skipped this would leave them behind.
 */
export function onExitCleanup(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
  if (installed) return;
  installed = true;
  const exitAfter = (code: number) => () => void runCleanups().finally(() => process.exit(code));
  process.once('SIGINT', exitAfter(130));
  process.once('SIGTERM', exitAfter(143));
  process.once('SIGHUP', exitAfter(129));
  process.once('uncaughtException', (error) => {
    console.error(error);
    exitAfter(1)();
  });
  process.once('unhandledRejection', (reason) => {
    console.error(reason);
    exitAfter(1)();
  });
}

/** Runs every registered cleanup (newest first), once, within the budget. */
export function runCleanups(): Promise<void> {
  running ??= (async () => {
    const all = Promise.allSettled(cleanups.reverse().map((cleanup) => cleanup()));
    await Promise.race([
      all,
      new Promise((resolve) => setTimeout(resolve, CLEANUP_BUDGET_MS).unref()),
    ]);
  })();
  return running;
}
