import { describe, expect, it } from '@jest/globals';
import { dependencyProblem } from './readiness.js';

describe(dependencyProblem.name, () => {
  it('dependency problem - none when the check answers', async () => {
    expect(await dependencyProblem('MESHMON_NATS_URL', 'NATS', async () => 'pong')).toEqual([]);
  });

  it('dependency problem - a failed check names the setting and the reason', async () => {
    const problems = await dependencyProblem('MESHMON_INFLUX_URL', 'InfluxDB at x', async () => {
      throw new Error('connect ECONNREFUSED');
    });

    expect(problems).toEqual([
      { field: 'MESHMON_INFLUX_URL', rule: 'InfluxDB at x does not answer (connect ECONNREFUSED)' },
    ]);
  });

  it('dependency problem - a check slower than the deadline counts as down', async () => {
    const problems = await dependencyProblem(
      'MESHMON_NATS_URL',
      'NATS',
      () => new Promise(() => undefined),
      50,
    );

    expect(problems).toEqual([
      { field: 'MESHMON_NATS_URL', rule: 'NATS does not answer (no answer within 50 ms)' },
    ]);
  });
});
