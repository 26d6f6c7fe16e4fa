import type { ErrorEventMessage, SchedulerEventMessage } from '@meshmon/contracts';
import { errorEventPoint, schedulerEventPoint } from './event-points.js';

const reporter = { v: 1 as const, cluster: 'lab', node: 'n1', atMs: 1_700_000_000_000 };

describe(schedulerEventPoint.name, () => {
  it('flattens the event into snake_case fields with count=1, at atMs plus the sequence', () => {
    const message: SchedulerEventMessage = {
      ...reporter,
      service: 'controller',
      event: { type: 'slot-granted', sensor: 'n2', monitor: 'n3', fencingToken: 7 },
    };

    expect(schedulerEventPoint(message, 42)).toEqual({
      measurement: 'scheduler_events',
      tags: { cluster: 'lab', node: 'n1', service: 'controller', type: 'slot-granted' },
      fields: { count: 1, sensor: 'n2', monitor: 'n3', fencing_token: 7 },
      timestamp: '1700000000000000042',
    });
  });

  it("renames the event's own node and writes lists as JSON text", () => {
    const switched: SchedulerEventMessage = {
      ...reporter,
      service: 'monitor',
      event: { type: 'role-switched', node: 'n9', role: 'sensor' },
    };
    const invalid: SchedulerEventMessage = {
      ...reporter,
      service: 'sensor',
      event: {
        type: 'invalid-message',
        subject: 'x',
        problems: [{ field: 'v', rule: 'must be 1' }],
      },
    };

    expect(schedulerEventPoint(switched, 1).fields).toEqual({
      count: 1,
      event_node: 'n9',
      role: 'sensor',
    });
    expect(schedulerEventPoint(invalid, 1)).toMatchObject({
      fields: { problems: '[{"field":"v","rule":"must be 1"}]' },
    });
  });
});

describe(errorEventPoint.name, () => {
  it('stores an error event as type error with its subject, code and message', () => {
    const message: ErrorEventMessage = {
      ...reporter,
      service: 'result-sink',
      subject: 'meshmon.lab.v1.results.>',
      code: 'influx-unavailable',
      message: 'connect ECONNREFUSED\n127.0.0.1:8086',
      problems: [],
    };

    expect(errorEventPoint(message, 3)).toEqual({
      measurement: 'scheduler_events',
      tags: { cluster: 'lab', node: 'n1', service: 'result-sink', type: 'error' },
      fields: {
        count: 1,
        subject: 'meshmon.lab.v1.results.>',
        code: 'influx-unavailable',
        message: 'connect ECONNREFUSED 127.0.0.1:8086',
      },
      timestamp: '1700000000000000003',
    });
  });
});
