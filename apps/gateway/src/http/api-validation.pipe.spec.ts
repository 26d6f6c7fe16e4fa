import { IntentBodyDto } from '../intents/intents.dto.js';
import { MeasurementBodyDto } from '../measurements/measurements.dto.js';
import { PriorityBodyDto } from '../pairs/pairs.dto.js';
import { ResultsQueryDto } from '../results/results.dto.js';
import { SchedulerStartDto } from '../scheduler/scheduler.dto.js';
import { ApiError } from './api-error.js';
import { ApiValidationPipe } from './api-validation.pipe.js';

async function problems(dto: new () => object, value: unknown, type: 'body' | 'query' = 'body') {
  const sut = new ApiValidationPipe(dto);
  try {
    await sut.transform(value, { type, metatype: dto });
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    return (error as ApiError).problems;
  }
  return [];
}

describe(ApiValidationPipe.name, () => {
  it('validation - accepts a valid measurement body', async () => {
    expect(
      await problems(MeasurementBodyDto, { monitor: 'a', sensor: 'b', tool: 'iperf3-tcp' }),
    ).toEqual([]);
  });

  it('validation - names missing fields of an absent body', async () => {
    expect((await problems(IntentBodyDto, undefined))?.map((problem) => problem.field)).toEqual([
      'monitor',
      'sensor',
    ]);
  });

  it('validation - names unknown fields and wrong types', async () => {
    const found = await problems(MeasurementBodyDto, {
      monitor: 7,
      sensor: 'b',
      tool: 'ping',
      waitMs: -1,
      extra: true,
    });

    expect(found).toEqual([
      { field: 'extra', rule: 'is not allowed' },
      { field: 'monitor', rule: expect.stringContaining('must be a node name') },
      { field: 'tool', rule: 'must be one of iperf3-tcp, iperf3-udp' },
      { field: 'waitMs', rule: 'must be an integer in 0..300000' },
    ]);
  });

  it('validation - refuses a body that is not an object', async () => {
    expect(await problems(IntentBodyDto, ['a', 'b'])).toEqual([
      { field: '(body)', rule: 'must be a JSON object' },
    ]);
  });

  it('validation - priority is an integer or null, never absent', async () => {
    expect(await problems(PriorityBodyDto, { priorityMs: null })).toEqual([]);
    expect((await problems(PriorityBodyDto, {}))?.[0].field).toBe('priorityMs');
    expect((await problems(PriorityBodyDto, { priorityMs: 1.5 }))?.[0].field).toBe('priorityMs');
  });

  it('validation - scheduler parameters by dotted name must be numbers', async () => {
    expect(await problems(SchedulerStartDto, { algorithm: 'cps', 'cps.listeningMs': 640 })).toEqual(
      [],
    );
    expect(
      await problems(SchedulerStartDto, {
        algorithm: 'cps',
        'cps.listeningMs': '640',
        'cps.nope': 1,
      }),
    ).toEqual([
      { field: 'cps.nope', rule: 'is not allowed' },
      { field: 'cps.listeningMs', rule: 'must be a number' },
    ]);
  });

  it('validation - query strings are checked as text', async () => {
    const found = await problems(
      ResultsQueryDto,
      { from: 'yesterday', limit: '0', interval: '1w' },
      'query',
    );

    expect(found?.map((problem) => problem.field)).toEqual(['from', 'interval', 'limit']);
    expect(
      await problems(
        ResultsQueryDto,
        { from: '2024-01-01T00:00:00Z', to: '1700000000000' },
        'query',
      ),
    ).toEqual([]);
  });
});
