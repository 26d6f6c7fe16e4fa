import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors/config-error.js';
import { LeaseStoreError } from '@meshmon/leases';
import { NatsUnavailableError } from '../nats/connect-nats.js';
import { AddressUnresolvedError } from '../resolve-address.js';
import { StreamSetupError } from '../nats/results-stream.js';
import { startProblem } from './start-problem.js';

describe(startProblem.name, () => {
  it('start problem - bad settings are kept as they are, and waiting does not mend them', () => {
    const problems = [{ field: 'MESHMON_NODE', rule: 'is required' }];

    expect(startProblem(new ConfigError(problems))).toEqual({ problems, retry: false });
  });

  it.each([
    [new NatsUnavailableError('NATS at x did not answer'), 'MESHMON_NATS_URL'],
    [new LeaseStoreError('Redis at y not ready'), 'MESHMON_REDIS_URL'],
    [new AddressUnresolvedError('auto: no route'), 'MESHMON_ADDRESS'],
    [new StreamSetupError('NATS refused to create stream X'), 'MESHMON_NATS_URL'],
  ])('start problem - %s names %s and is worth retrying', (error, field) => {
    expect(startProblem(error)).toEqual({
      problems: [{ field, rule: error.message }],
      retry: true,
    });
  });

  it('start problem - a service adds its own, e.g. a port in use', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const problem = { field: 'MESHMON_GATEWAY_PORT', rule: 'listen EADDRINUSE' };

    expect(startProblem(inUse, () => problem)).toEqual({ problems: [problem], retry: true });
  });

  it('start problem - anything else is a bug and keeps its stack trace (null)', () => {
    expect(startProblem(new TypeError('x is undefined'), () => null)).toBeNull();
  });
});
