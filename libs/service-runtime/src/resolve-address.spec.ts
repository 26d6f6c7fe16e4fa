import { describe, expect, it } from '@jest/globals';
import { AddressUnresolvedError, resolveAutoAddress } from './resolve-address.js';

describe(resolveAutoAddress.name, () => {
  it('auto address - any other value passes unchanged', async () => {
    const env = { MESHMON_ADDRESS: '10.0.0.7', MESHMON_NATS_URL: 'nats://nats:4222' };

    expect(await resolveAutoAddress(env)).toBe(env);
  });

  it('auto address - the local address of the route to NATS', async () => {
    const env = { MESHMON_ADDRESS: 'auto', MESHMON_NATS_URL: 'nats://127.0.0.9:4222' };

    expect(await resolveAutoAddress(env)).toEqual({ ...env, MESHMON_ADDRESS: '127.0.0.1' });
  });

  it('auto address - without a NATS URL, the default NATS on the loopback', async () => {
    expect((await resolveAutoAddress({ MESHMON_ADDRESS: ' auto ' })).MESHMON_ADDRESS).toBe(
      '127.0.0.1',
    );
  });

  it('auto address - no route names MESHMON_ADDRESS and MESHMON_NATS_URL', async () => {
    const failure = resolveAutoAddress({ MESHMON_ADDRESS: 'auto', MESHMON_NATS_URL: 'not a url' });

    await expect(failure).rejects.toBeInstanceOf(AddressUnresolvedError);
    await expect(failure).rejects.toThrow(
      /set MESHMON_ADDRESS to the node address or fix MESHMON_NATS_URL/,
    );
  });
});
