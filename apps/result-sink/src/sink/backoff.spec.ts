import { Backoff, sleep } from './backoff.js';

describe(Backoff.name, () => {
  it('doubles from the initial delay to the cap, each delay within [base/2, base]', () => {
    const low = new Backoff({ initialMs: 100, maxMs: 10_000, random: () => 0 });
    const high = new Backoff({ initialMs: 100, maxMs: 10_000, random: () => 0.999_999 });

    const lows = Array.from({ length: 10 }, () => low.nextDelayMs());
    const highs = Array.from({ length: 10 }, () => high.nextDelayMs());

    expect(lows).toEqual([50, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
    expect(highs).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  });

  it('stays bounded after a very long outage', () => {
    const sut = new Backoff({ initialMs: 100, maxMs: 10_000 });

    for (let attempt = 0; attempt < 5000; attempt += 1) {
      const delay = sut.nextDelayMs();
      expect(delay >= 50 && delay <= 10_000).toBe(true);
    }
  });

  it('starts from the initial delay again after a reset', () => {
    const sut = new Backoff({ initialMs: 100, maxMs: 10_000, random: () => 1 - Number.EPSILON });
    sut.nextDelayMs();
    sut.nextDelayMs();

    sut.reset();

    expect(sut.nextDelayMs()).toBe(100);
  });

  it('wait - ends at once, false, when the signal aborts', async () => {
    const sut = new Backoff({ initialMs: 60_000, maxMs: 60_000 });
    const stop = new AbortController();
    const started = Date.now();

    const waited = sut.wait(stop.signal);
    stop.abort();

    await expect(waited).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('sleep - resolves true after the delay', async () => {
    await expect(sleep(5, new AbortController().signal)).resolves.toBe(true);
  });
});
