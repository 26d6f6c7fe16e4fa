import { problemsOf } from '../testing/decode-helpers.js';
import { OutboundMessageError } from '../validation/codec.js';
import {
  decodeErrorEventMessage,
  decodeSchedulerEventMessage,
  encodeErrorEventMessage,
  encodeSchedulerEventMessage,
  type ErrorEventMessage,
  type SchedulerEventMessage,
} from './event-messages.js';
import type { ServiceEvent } from './service-event.dto.js';

describe('event messages', () => {
  const reporter = {
    v: 1,
    cluster: 'lab',
    node: 'n2',
    service: 'sensor',
    atMs: 1_700_000_000_000,
  } as const;
  const events: ServiceEvent[] = [
    { type: 'role-switched', node: 'n2', role: 'sensor' },
    { type: 'slot-granted', sensor: 'n2', monitor: 'n1', fencingToken: 41 },
    { type: 'slot-denied', sensor: 'n2', monitor: 'n3', reason: 'busy' },
    { type: 'lease-expired', sensor: 'n2', monitor: 'n1', fencingToken: 41 },
    { type: 'request-timeout', monitor: 'n1', sensor: 'n2' },
    { type: 'member-joined', node: 'n1', member: 'n4' },
    { type: 'member-removed', node: 'n1', member: 'n4', reason: 'liveness' },
    { type: 'token-regenerated', node: 'n1', generation: 3 },
    { type: 'grace-expired', node: 'n1', module: 'monitor' },
    {
      type: 'probe-failed',
      monitor: 'n1',
      sensor: 'n2',
      measurementId: 'n1#3',
      code: 'probe-failed',
      message: 'exit 1',
    },
    {
      type: 'lease-denied',
      monitor: 'n1',
      sensor: 'n2',
      measurementId: 'n1#3',
      reason: 'stale-fencing-token',
    },
    {
      type: 'invalid-message',
      subject: 'meshmon.lab.v1.node.n2.sensor.hello',
      problems: [{ field: 'v', rule: 'must be 1' }],
    },
    { type: 'service-started' },
    { type: 'service-stopping' },
  ];

  it.each(events.map((event) => [event.type, event] as const))(
    'round trip - %s',
    (_type, event) => {
      const message: SchedulerEventMessage = { ...reporter, event };
      expect(decodeSchedulerEventMessage(encodeSchedulerEventMessage(message))).toEqual({
        ok: true,
        value: message,
      });
    },
  );

  it('round trip - an error event', () => {
    const message: ErrorEventMessage = {
      ...reporter,
      subject: 'meshmon.lab.v1.node.n2.sensor.server.start',
      code: 'invalid-message',
      message: 'the request is not a valid message',
      problems: [{ field: 'fencingToken', rule: 'must be an integer >= 1' }],
    };
    expect(decodeErrorEventMessage(encodeErrorEventMessage(message))).toEqual({
      ok: true,
      value: message,
    });
  });

  it('names the event field that is wrong', () => {
    const body = JSON.stringify({
      ...reporter,
      event: { type: 'member-removed', node: 'n1', member: 'n4', reason: 'bored' },
    });
    expect(problemsOf(decodeSchedulerEventMessage(body))).toEqual([
      { field: 'event.reason', rule: 'must be one of left, liveness' },
    ]);
  });

  it('refuses an unknown event type and an unknown service', () => {
    const body = JSON.stringify({ ...reporter, service: 'router', event: { type: 'party' } });
    expect(problemsOf(decodeSchedulerEventMessage(body))).toEqual([
      {
        field: 'service',
        rule: 'must be one of controller, sensor, monitor, flow-discovery, result-sink, gateway',
      },
      { field: 'event.type', rule: expect.stringMatching(/^must be one of role-switched, /) },
    ]);
  });

  it('encode - throws OutboundMessageError for an invalid event', () => {
    const message = {
      ...reporter,
      event: { type: 'slot-granted', sensor: 'n2', monitor: 'n1', fencingToken: 0 },
    };
    expect(() => encodeSchedulerEventMessage(message as SchedulerEventMessage)).toThrow(
      OutboundMessageError,
    );
  });
});
