import { describe, expect, it } from '@jest/globals';
import { healthCheckUrl } from './health-check-url.js';

const command = (service: string) => ['node', '/app/dist/apps/meshmon/src/main.js', service, ''];

describe(healthCheckUrl.name, () => {
  it('health check url - the configured port wins', () => {
    expect(healthCheckUrl({ MESHMON_HEALTH_PORT: '9999' }, command('sensor'))).toBe(
      'http://127.0.0.1:9999/health/ready',
    );
  });

  it.each([
    ['controller', 9401],
    ['sensor', 9402],
    ['monitor', 9403],
    ['flow-discovery', 9404],
    ['result-sink', 9405],
  ])('health check url - %s defaults to port %i', (service, port) => {
    expect(healthCheckUrl({}, command(service))).toBe(`http://127.0.0.1:${port}/health/ready`);
  });

  it('health check url - the gateway answers on its own port', () => {
    expect(healthCheckUrl({}, command('gateway'))).toBe('http://127.0.0.1:8080/health/ready');
    expect(healthCheckUrl({ MESHMON_GATEWAY_PORT: '18080' }, command('gateway'))).toBe(
      'http://127.0.0.1:18080/health/ready',
    );
  });
});
