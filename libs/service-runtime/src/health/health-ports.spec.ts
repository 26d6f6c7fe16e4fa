import { describe, expect, it } from '@jest/globals';
import { SERVICE_NAMES } from '@meshmon/contracts';
import { CONTAINER_SERVICES, DEFAULT_HEALTH_PORTS } from './health-ports.js';

describe('health ports', () => {
  it('health ports - the image runs every service of the contracts, in their order', () => {
    expect(CONTAINER_SERVICES).toEqual(SERVICE_NAMES);
  });

  it('health ports - no two services of a node share a port', () => {
    const ports = Object.values(DEFAULT_HEALTH_PORTS);

    expect(new Set(ports).size).toBe(ports.length);
  });
});
