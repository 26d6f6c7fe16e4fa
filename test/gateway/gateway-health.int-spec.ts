import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { startHarness, type Harness } from './gateway-harness.js';

jest.setTimeout(60_000);

describe('gateway health, metrics and docs', () => {
  let harness: Harness;

  beforeAll(async () => {
    // InfluxDB and Redis pointed at closed ports: the gateway must still start and say so.
    harness = await startHarness('gw-health', {
      MESHMON_INFLUX_URL: `http://127.0.0.1:${await freePort('127.0.0.1')}`,
      MESHMON_REDIS_URL: `redis://127.0.0.1:${await freePort('127.0.0.1')}`,
    });
  });

  afterAll(async () => {
    await harness?.close().catch(() => undefined);
  });

  it('health - live answers while Redis and InfluxDB are down', async () => {
    const response = await harness.call('GET', '/health/live');

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
  });

  it('health - ready names the dependencies that are down', async () => {
    const response = await harness.call('GET', '/health/ready');

    expect(response.status).toBe(503);
    expect(response.json).toMatchObject({
      status: 'unavailable',
      checks: {
        nats: { status: 'up' },
        redis: { status: 'down', error: expect.any(String) },
        influx: { status: 'down', error: expect.any(String) },
      },
    });
  });

  it('health - a command needing Redis answers 503 in the error shape', async () => {
    const response = await harness.call('POST', '/api/v1/scheduler/start', {
      body: { algorithm: 'cps' },
    });

    expect(response.status).toBe(503);
    expect(response.json.error).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('Redis'),
    });
  });

  it('metrics - are Prometheus text with the gateway’s own series', async () => {
    await harness.call('GET', '/api/v1/nodes');
    const response = await harness.call('GET', '/metrics');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const samples = response.text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const line of samples)
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eENa]+$/);
    expect(response.text).toContain(
      'meshmon_gateway_http_request_duration_seconds_bucket{le="0.001",route="/api/v1/nodes",method="GET",status="200"}',
    );
    for (const name of [
      'meshmon_gateway_sse_clients',
      'meshmon_gateway_view_nodes',
      'meshmon_gateway_view_pairs',
      'meshmon_gateway_process_resident_memory_bytes',
    ]) {
      expect(response.text).toContain(`\n${name} `);
    }
  });

  it('docs - /docs-json is an OpenAPI 3 document with every route', async () => {
    const response = await harness.call('GET', '/docs-json');

    expect(response.status).toBe(200);
    expect(response.json.openapi).toMatch(/^3\./);
    expect(Object.keys(response.json.paths).sort()).toEqual([
      '/api/v1/coverage',
      '/api/v1/events',
      '/api/v1/flows',
      '/api/v1/intents',
      '/api/v1/intents/{monitor}/{sensor}',
      '/api/v1/measurements',
      '/api/v1/nodes',
      '/api/v1/outliers',
      '/api/v1/pairs',
      '/api/v1/pairs/{monitor}/{sensor}/priority',
      '/api/v1/results',
      '/api/v1/scheduler',
      '/api/v1/scheduler/start',
      '/api/v1/scheduler/stop',
      '/health/live',
      '/health/ready',
    ]);
    expect(
      response.json.components.schemas.SchedulerStartDto.properties['cps.listeningMs'],
    ).toMatchObject({ type: 'number' });
    const page = await harness.call('GET', '/docs');
    expect(page.text).toContain('swagger-ui');
  });
});
