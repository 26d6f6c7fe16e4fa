import { describe, expect, it, jest } from '@jest/globals';
import { natsAnswers } from './connect-nats.js';

jest.setTimeout(20_000);

describe(natsAnswers.name, () => {
  it('nats answers - true where the local NATS listens', async () => {
    expect(await natsAnswers(process.env.MESHMON_NATS_URL ?? 'nats://127.0.0.1:4222')).toBe(true);
  });

  it('nats answers - false where nothing listens, or for a URL that is not one', async () => {
    expect(await natsAnswers('nats://127.0.0.1:1')).toBe(false);
    expect(await natsAnswers('not a url')).toBe(false);
  });
});
