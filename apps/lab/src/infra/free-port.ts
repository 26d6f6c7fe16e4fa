// The port helpers live in the runtime (tests and scripts use them too); the lab's wait here.
export { freePort, portIsFree } from '@meshmon/service-runtime/free-port.js';

/** Polls `check` until it resolves true, at most `timeoutMs`; false if it never did. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; round < 10_000 && Date.now() < deadline; round += 1) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}
