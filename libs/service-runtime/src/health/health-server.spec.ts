import { afterEach, describe, expect, it } from '@jest/globals';
import { startHealthServer, type HealthServer } from './health-server.js';

describe(startHealthServer.name, () => {
  let sut: HealthServer | undefined;

  afterEach(async () => {
    await sut?.close();
    sut = undefined;
  });

  const get = async (path: string, method = 'GET') => {
    const response = await fetch(`http://127.0.0.1:${sut!.port}${path}`, { method });
    return { status: response.status, body: method === 'HEAD' ? null : await response.json() };
  };

  it('health server - live answers 200 whatever readiness says', async () => {
    sut = await startHealthServer(0, '127.0.0.1', async () => [{ field: 'X', rule: 'is bad' }]);

    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('health server - /metrics is 404 until the service runs, then its figures as Prometheus text', async () => {
    sut = await startHealthServer(0, '127.0.0.1', async () => []);
    expect((await fetch(`http://127.0.0.1:${sut.port}/metrics`)).status).toBe(404);

    sut.setMetrics({
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      text: async () => 'meshmon_nats_connected 1\n',
    });
    const response = await fetch(`http://127.0.0.1:${sut.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('version=0.0.4');
    expect(await response.text()).toBe('meshmon_nats_connected 1\n');
  });

  it('health server - ready answers 503 with the problems, each naming its setting', async () => {
    const problems = [{ field: 'MESHMON_NATS_URL', rule: 'NATS at nats://x:4222 does not answer' }];
    sut = await startHealthServer(0, '127.0.0.1', async () => problems);

    expect(await get('/health/ready')).toEqual({
      status: 503,
      body: { status: 'not-ready', problems },
    });
  });

  it('health server - ready answers 200 once readiness has no problem left', async () => {
    sut = await startHealthServer(0, '127.0.0.1', async () => [
      { field: 'service', rule: 'is starting' },
    ]);
    sut.setReadiness(async () => []);

    expect(await get('/health/ready?verbose=1')).toEqual({
      status: 200,
      body: { status: 'ready' },
    });
  });

  it('health server - a readiness check that throws is a problem, not a crash', async () => {
    sut = await startHealthServer(0, '127.0.0.1', async () => {
      throw new Error('boom');
    });

    const { status, body } = await get('/health/ready');

    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'not-ready',
      problems: [{ field: 'service', rule: 'readiness check failed: Error: boom' }],
    });
  });

  it('health server - a readiness check that hangs answers 503 within the probe timeout', async () => {
    sut = await startHealthServer(0, '127.0.0.1', () => new Promise(() => undefined));
    const started = Date.now();

    const { status } = await get('/health/ready');

    expect(status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('health server - other paths are 404 and other methods 405', async () => {
    sut = await startHealthServer(0, '127.0.0.1', async () => []);

    expect((await get('/metrics')).status).toBe(404);
    expect((await get('/health/live', 'POST')).status).toBe(405);
    expect((await get('/health/live', 'HEAD')).status).toBe(200);
  });

  it('health server - a port in use is refused at start', async () => {
    sut = await startHealthServer(0, '127.0.0.1', async () => []);

    await expect(startHealthServer(sut.port, '127.0.0.1', async () => [])).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
