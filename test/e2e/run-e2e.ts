import { measureAndCheck } from './coverage-check.js';
import { figure, figures, reportAs, say, sayError, secondsBetween } from './e2e-report.js';
import type { E2eOrchestrator } from './orchestrator.js';

/**
 * The one sequence every orchestrator's end-to-end test runs: prepare, deploy, the shared
 * checks, and the clean-up whatever happens (at the end, on failure, on SIGINT/SIGTERM).
 * Prints its figures and one summary line (`PASS in ...`, `FAIL in ...`, or `skipped: ...`
 * where the orchestrator cannot run here); sets the exit code: 0 = pass or skipped.
 */
export async function runE2e(testName: string, orchestrator: E2eOrchestrator): Promise<void> {
  reportAs(testName);
  const began = Date.now();
  const why = await orchestrator.unavailable();
  if (why !== null) {
    say(`skipped: ${why}; nothing was deployed or checked`);
    return;
  }

  let cleanup: Promise<boolean> | undefined;
  /** Once, whoever asks first (the end of the run, or a signal). */
  const cleanUp = (): Promise<boolean> => {
    cleanup ??= orchestrator.cleanUp().then(
      () => true,
      (error: unknown) => {
        sayError(`${testName}: clean-up failed: ${String(error)}`);
        return false;
      },
    );
    return cleanup;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      sayError(`${testName}: ${signal}: removing what was deployed`);
      orchestrator.interrupt();
      void cleanUp().finally(() => process.exit(1));
    });
  }

  let failure: unknown = null;
  try {
    await orchestrator.prepare();
    const deployment = await orchestrator.deploy().catch(async (error: unknown) => {
      // Not all up (an image not pulled, a volume not bound): what the operator would read.
      for (const text of await orchestrator.diagnose().catch(() => [])) sayError(text);
      throw error;
    });
    await measureAndCheck(deployment, orchestrator);
    figure('deployed and checked', `${secondsBetween(began, Date.now())} s in all before clean-up`);
  } catch (error) {
    failure = error;
    sayError(`${testName}: ${error instanceof Error ? error.stack : String(error)}`);
  }
  const cleanAt = Date.now();
  const cleaned = await cleanUp();
  figure('clean-up', `${secondsBetween(cleanAt, Date.now())} s${cleaned ? '' : ' (FAILED)'}`);
  const total = `${secondsBetween(began, Date.now())} s`;
  if (failure === null && cleaned) {
    say(`PASS in ${total}: ${figures.join('; ')}`);
    return;
  }
  const reason =
    failure instanceof Error
      ? failure.message
      : failure === null
        ? 'clean-up failed'
        : String(failure);
  say(`FAIL in ${total}: ${reason}`);
  process.exitCode = 1;
}
