import type { SchedulerMessage } from '@meshmon/scheduling';
import { OutboundMessageError } from '../validation/codec.js';
import { decodeSchedulerEnvelope, encodeSchedulerEnvelope } from './scheduler-envelope.js';
import { SCHEDULER_MESSAGE_TYPES } from './scheduler-message-classes.js';
import { SAMPLE_SENDER, SCHEDULER_MESSAGE_SAMPLES } from './scheduler-message.fixtures.js';

const decodeText = (text: string) => decodeSchedulerEnvelope(text);

describe('scheduler envelope', () => {
  it.each(SCHEDULER_MESSAGE_TYPES)(
    'round trip - %s decodes to the message that was encoded',
    (type) => {
      const message = SCHEDULER_MESSAGE_SAMPLES[type];
      const bytes = encodeSchedulerEnvelope(SAMPLE_SENDER, message, 1_700_000_000_123);

      const decoded = decodeSchedulerEnvelope(bytes);

      expect(decoded).toEqual({
        ok: true,
        value: { from: SAMPLE_SENDER, sentAtMs: 1_700_000_000_123, run: null, message },
      });
    },
  );

  it('round trip - the run id travels with the message, and a bad one is refused', () => {
    const message = SCHEDULER_MESSAGE_SAMPLES.ping;
    const decoded = decodeSchedulerEnvelope(
      encodeSchedulerEnvelope(SAMPLE_SENDER, message, 1, 'r-1'),
    );
    expect(decoded.ok && decoded.value.run).toBe('r-1');
    const bad = JSON.stringify({ v: 1, from: SAMPLE_SENDER, sentAtMs: 1, run: 'a b', message });
    const refused = decodeSchedulerEnvelope(bad);
    expect(!refused.ok && refused.problems.map((p) => p.field)).toEqual(['run']);
  });

  it('round trip - decoded values are plain objects, as the core builds them', () => {
    const message = SCHEDULER_MESSAGE_SAMPLES['slot-assign'];
    const decoded = decodeSchedulerEnvelope(encodeSchedulerEnvelope(SAMPLE_SENDER, message, 1));

    if (!decoded.ok) throw new Error('expected a valid envelope');
    expect(Object.getPrototypeOf(decoded.value.message)).toBe(Object.prototype);
    expect(decoded.value.message).toStrictEqual(message);
  });

  it('round trip - the minimal forms (optional fields absent) decode too', () => {
    const minimal: SchedulerMessage[] = [
      { type: 'slot-request', requestId: 'n1#1', monitor: 'n1', priority: 0, attempt: 0 },
      { type: 'slot-deny', requestId: 'n1#1', sensor: 'n2', reason: 'busy' },
      { type: 'pong', from: 'n2', nonce: 1 },
      { type: 'role', active: true, epoch: 0 },
      { type: 'intents', scope: { mode: 'all' } },
      { type: 'priority-override', sensor: 'n2', priorityMs: 0 },
    ];
    for (const message of minimal) {
      const decoded = decodeSchedulerEnvelope(encodeSchedulerEnvelope(SAMPLE_SENDER, message, 0));
      expect(decoded).toEqual({
        ok: true,
        value: { from: SAMPLE_SENDER, sentAtMs: 0, run: null, message },
      });
    }
  });

  it('decode - accepts a JSON string as well as bytes', () => {
    const text = JSON.stringify({
      v: 1,
      from: SAMPLE_SENDER,
      sentAtMs: 5,
      message: SCHEDULER_MESSAGE_SAMPLES.hello,
    });
    expect(decodeText(text).ok).toBe(true);
  });

  it('encode - refuses a message the receiver would refuse, naming the field', () => {
    const bad = { ...SCHEDULER_MESSAGE_SAMPLES['slot-grant'], fencingToken: 0 };

    const encode = () => encodeSchedulerEnvelope(SAMPLE_SENDER, bad, 1);

    expect(encode).toThrow(OutboundMessageError);
    expect(encode).toThrow(/message\.fencingToken must be an integer >= 1/);
  });

  it('encode - refuses NaN, which JSON would silently turn into null', () => {
    const bad = { ...SCHEDULER_MESSAGE_SAMPLES['slot-grant'], leaseMs: Number.NaN };
    expect(() => encodeSchedulerEnvelope(SAMPLE_SENDER, bad, 1)).toThrow(
      /message\.leaseMs must be a finite number >= 0/,
    );
  });
});
