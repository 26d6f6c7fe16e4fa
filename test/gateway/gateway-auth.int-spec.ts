import { jest, describe, it, expect, afterAll } from '@jest/globals';
import { startHarness, type Harness } from './gateway-harness.js';

jest.setTimeout(60_000);

const TOKEN = 'test-token-0123456789abcdef';

describe('gateway auth', () => {
  const harnesses: Harness[] = [];

  afterAll(async () => {
    for (const harness of harnesses) await harness.close();
  });

  it('auth - with a token configured, the API needs it and the rest stays open', async () => {
    const harness = await startHarness('gw-auth', { MESHMON_GATEWAY_TOKEN: TOKEN });
    harnesses.push(harness);

    const none = await harness.call('GET', '/api/v1/nodes', { headers: { authorization: '' } });
    const wrong = await harness.call('GET', '/api/v1/nodes', {
      headers: { authorization: 'Bearer nope' },
    });
    const basic = await harness.call('POST', '/api/v1/scheduler/stop', {
      headers: { authorization: `Basic ${TOKEN}` },
    });
    const right = await harness.call('GET', '/api/v1/nodes');

    expect([none.status, wrong.status, basic.status, right.status]).toEqual([401, 401, 401, 200]);
    expect(none.json.error).toEqual({
      status: 401,
      code: 'unauthorized',
      message: 'a bearer token is required',
    });
    expect(wrong.json.error.message).toBe('the bearer token is not valid');
    for (const open of ['/health/live', '/docs-json', '/metrics']) {
      expect((await harness.call('GET', open, { headers: { authorization: '' } })).status).toBe(
        200,
      );
    }
    // Only the SSE route takes the token in the query (EventSource sends no headers).
    const query = await harness.call('GET', `/api/v1/nodes?access_token=${TOKEN}`, {
      headers: { authorization: '' },
    });
    expect(query.status).toBe(401);
    const abort = new AbortController();
    const sse = await fetch(`${harness.gateway.url}/api/v1/events?access_token=${TOKEN}`, {
      signal: abort.signal,
    });
    expect(sse.status).toBe(200);
    abort.abort();
    const sseWrong = await harness.call('GET', '/api/v1/events?access_token=nope', {
      headers: { authorization: '' },
    });
    expect(sseWrong.status).toBe(401);
  });

  it('auth - without a token the gateway does not start, naming the setting', async () => {
    await expect(startHarness('gw-notoken', { MESHMON_GATEWAY_OPEN: 'off' })).rejects.toThrow(
      'MESHMON_GATEWAY_TOKEN: is required (or MESHMON_GATEWAY_TOKEN_FILE, a file holding it); MESHMON_GATEWAY_OPEN=on leaves the API open instead',
    );
  });

  it('auth - MESHMON_GATEWAY_OPEN=on opens the API on purpose', async () => {
    const harness = await startHarness('gw-open', { MESHMON_GATEWAY_OPEN: 'on' });
    harnesses.push(harness);

    expect((await harness.call('GET', '/api/v1/nodes')).status).toBe(200);
    expect(
      (
        await harness.call('GET', '/api/v1/nodes', {
          headers: { authorization: 'Bearer whatever' },
        })
      ).status,
    ).toBe(200);
  });
});
