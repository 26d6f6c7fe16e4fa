import { ProbeError } from './probe-error.js';
import { runPing } from './ping.js';
import { processExists } from './testing/integration-helpers.js';

// Only 127.0.0.1 is pinged: no probe traffic leaves this machine.

async function rejection(promise: Promise<unknown>): Promise<ProbeError> {
  const error = await promise.then(
    () => new Error('expected the probe to fail, but it succeeded'),
    (reason: unknown) => reason,
  );
  if (error instanceof ProbeError) return error;
  throw error;
}

describe(runPing.name, () => {
  it('ping - 127.0.0.1 answers every request, with rtt figures', async () => {
    const result = await runPing({
      host: '127.0.0.1',
      count: 3,
      intervalSeconds: 0.2,
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ transmitted: 3, received: 3, lossPercent: 0 });
    expect(result.rttMs?.min).toBeGreaterThan(0);
    expect(result.rttMs?.max).toBeGreaterThanOrEqual(result.rttMs?.avg ?? Infinity);
    expect(result.rttMs?.mdev).toBeGreaterThanOrEqual(0);
  });

  it('ping - a timeout shorter than the run kills ping: no pid remains', async () => {
    let pid = -1;
    const error = await rejection(
      runPing({
        host: '127.0.0.1',
        count: 50,
        intervalSeconds: 0.2,
        timeoutMs: 500,
        onSpawn: (spawned) => (pid = spawned),
      }),
    );
    expect(error).toMatchObject({ tool: 'ping', code: 'timeout' });
    expect(processExists(pid)).toBe(false);
  });

  it('ping - abort kills ping and rejects with cancelled', async () => {
    const abort = new AbortController();
    let pid = -1;
    const probe = runPing({
      host: '127.0.0.1',
      count: 50,
      intervalSeconds: 0.2,
      timeoutMs: 5000,
      signal: abort.signal,
      onSpawn: (spawned) => {
        pid = spawned;
        abort.abort();
      },
    });
    const error = await rejection(probe);
    expect(error.code).toBe('cancelled');
    expect(processExists(pid)).toBe(false);
  });
});
