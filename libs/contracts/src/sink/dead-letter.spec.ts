import { problemsOf } from '../testing/decode-helpers.js';
import {
  deadLetterOf,
  decodeDeadLetter,
  encodeDeadLetter,
  MAX_DEAD_LETTER_PAYLOAD,
} from './dead-letter.dto.js';
import { decodeSinkStats, encodeSinkStats, type SinkStats } from './sink-stats.dto.js';

const refused = {
  stream: 'MESHMON_LAB_RESULTS',
  sequence: 17,
  subject: 'meshmon.lab.v1.results.n1.n2',
  reason: 'invalid-message',
  problems: [{ field: 'throughput.bytes', rule: 'must be an integer >= 0' }],
  payload: new TextEncoder().encode('{"v":1}'),
  atMs: 1_700_000_000_000,
};

describe(deadLetterOf.name, () => {
  it('round trip - keeps origin, reason, problems and the payload as text', () => {
    const sut = deadLetterOf(refused);

    expect(decodeDeadLetter(encodeDeadLetter(sut))).toEqual({
      ok: true,
      value: {
        v: 1,
        stream: 'MESHMON_LAB_RESULTS',
        sequence: 17,
        subject: 'meshmon.lab.v1.results.n1.n2',
        reason: 'invalid-message',
        problems: [{ field: 'throughput.bytes', rule: 'must be an integer >= 0' }],
        payload: '{"v":1}',
        payloadBytes: 7,
        atMs: 1_700_000_000_000,
      },
    });
  });

  it('cuts a large payload and keeps its full size', () => {
    const payload = new Uint8Array(MAX_DEAD_LETTER_PAYLOAD * 10).fill(0x41);

    const sut = deadLetterOf({ ...refused, payload });

    expect(sut.payload).toHaveLength(MAX_DEAD_LETTER_PAYLOAD);
    expect(sut.payloadBytes).toBe(MAX_DEAD_LETTER_PAYLOAD * 10);
    expect(() => encodeDeadLetter(sut)).not.toThrow();
  });

  it('encodes whatever was refused: bytes that are not UTF-8, no payload, many problems', () => {
    const problems = Array.from({ length: 500 }, (_, index) => ({ field: `f${index}`, rule: 'x' }));

    const binary = deadLetterOf({ ...refused, payload: new Uint8Array([0xff, 0xfe, 0x41]) });
    const empty = deadLetterOf({ ...refused, payload: new Uint8Array(), problems, subject: '' });

    expect(binary.payload).toBe('\uFFFD\uFFFDA');
    expect(decodeDeadLetter(encodeDeadLetter(empty)).ok).toBe(true);
    expect(empty.problems.length).toBeLessThanOrEqual(21);
  });

  it('refuses a dead letter without a sequence, naming the field', () => {
    const { sequence: _sequence, ...rest } = deadLetterOf(refused);

    expect(problemsOf(decodeDeadLetter(JSON.stringify(rest)))).toEqual([
      { field: 'sequence', rule: 'must be an integer >= 1' },
    ]);
  });
});

describe('sink stats', () => {
  const counters = { received: 3, stored: 2, deadLettered: 1, retries: 0, batches: 1 };
  const stats: SinkStats = {
    v: 1,
    cluster: 'lab',
    sink: 'sink',
    atMs: 1,
    influxUp: true,
    lastError: null,
    ...counters,
    results: { stream: 'MESHMON_LAB_RESULTS', ...counters },
    events: { stream: 'MESHMON_LAB_EVENTS', ...counters },
    samples: { stream: 'MESHMON_LAB_SAMPLES', ...counters },
  };

  it('round trip - with and without a last error', () => {
    const down = { ...stats, influxUp: false, lastError: 'connect ECONNREFUSED' };

    expect(decodeSinkStats(encodeSinkStats(stats))).toEqual({ ok: true, value: stats });
    expect(decodeSinkStats(encodeSinkStats(down))).toEqual({ ok: true, value: down });
  });

  it('refuses a negative counter and an empty last error', () => {
    const bad = { ...stats, lastError: '', results: { ...stats.results, stored: -1 } };

    expect(problemsOf(decodeSinkStats(JSON.stringify(bad)))).toEqual([
      { field: 'lastError', rule: 'must be a string of 1-2000 characters or null' },
      { field: 'results.stored', rule: 'must be an integer >= 0' },
    ]);
  });
});
