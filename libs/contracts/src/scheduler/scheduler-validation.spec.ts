import { NODE_NAME_RULE } from '../names.js';
import { MAX_PAYLOAD_BYTES } from '../validation/payload.js';
import { MAX_PROBLEMS } from '../validation/problem.js';
import { decodeSchedulerEnvelope } from './scheduler-envelope.js';
import { SCHEDULER_MESSAGE_TYPES } from './scheduler-message-classes.js';
import { SAMPLE_SENDER, SCHEDULER_MESSAGE_SAMPLES } from './scheduler-message.fixtures.js';

type Json = Record<string, unknown>;

const envelope = (message: unknown, extra: Json = {}): Json => ({
  v: 1,
  from: SAMPLE_SENDER,
  sentAtMs: 1000,
  message,
  ...extra,
});

const sample = (type: keyof typeof SCHEDULER_MESSAGE_SAMPLES, changes: Json = {}): Json => ({
  ...SCHEDULER_MESSAGE_SAMPLES[type],
  ...changes,
});

const problemsOf = (body: unknown) => {
  const decoded = decodeSchedulerEnvelope(typeof body === 'string' ? body : JSON.stringify(body));
  if (decoded.ok) throw new Error('expected the payload to be refused');
  return decoded.problems;
};

const INT_0 = 'must be an integer >= 0';
const ALL_TYPES = `must be one of ${SCHEDULER_MESSAGE_TYPES.join(', ')}`;

describe('scheduler envelope validation', () => {
  it.each<[string, unknown, string, string]>([
    ['body not JSON', 'not json', '(body)', 'must be JSON'],
    ['body null', 'null', '(body)', 'must be a JSON object'],
    ['body an array', '[]', '(body)', 'must be a JSON object'],
    ['body a string', '"x"', '(body)', 'must be a JSON object'],
    ['wrong version', envelope(sample('hello'), { v: 2 }), 'v', 'must be 1'],
    [
      'no version',
      { from: SAMPLE_SENDER, sentAtMs: 1, message: sample('hello') },
      'v',
      'must be 1',
    ],
    [
      'unknown message type',
      envelope(sample('hello', { type: 'shout' })),
      'message.type',
      ALL_TYPES,
    ],
    [
      'prototype name as type',
      envelope(sample('hello', { type: 'constructor' })),
      'message.type',
      ALL_TYPES,
    ],
    ['message missing', envelope(undefined), 'message', 'must be an object'],
    ['message an array', envelope([sample('hello')]), 'message', 'must be an object'],
    [
      'dotted sender node',
      envelope(sample('hello'), { from: { node: 'a.b', module: 'sensor' } }),
      'from.node',
      NODE_NAME_RULE,
    ],
    [
      'unknown sender module',
      envelope(sample('hello'), { from: { node: 'n1', module: 'x' } }),
      'from.module',
      'must be one of controller, sensor, monitor',
    ],
    [
      'negative send time',
      envelope(sample('hello'), { sentAtMs: -1 }),
      'sentAtMs',
      'must be a finite number >= 0',
    ],
    [
      'negative slot cycle',
      envelope(sample('slot-assign', { slot: { viewId: 'v', cycle: -1, slot: 0 } })),
      'message.slot.cycle',
      INT_0,
    ],
    [
      'fractional slot',
      envelope(sample('slot-offer', { slot: { viewId: 'v', cycle: 0, slot: 1.5 } })),
      'message.slot.slot',
      INT_0,
    ],
    [
      'null optional slot',
      envelope(sample('slot-request', { slot: null })),
      'message.slot',
      'must be an object',
    ],
    [
      'slot as an array',
      envelope(sample('slot-request', { slot: [{ viewId: 'v', cycle: 0, slot: 0 }] })),
      'message.slot',
      'must be an object',
    ],
    [
      'unknown key in slot',
      envelope(sample('slot-done', { slot: { viewId: 'v', cycle: 0, slot: 0, x: 1 } })),
      'message.slot.x',
      'is not allowed',
    ],
    [
      'priority beyond 2^53',
      envelope(sample('slot-request', { priority: 2 ** 60 })),
      'message.priority',
      'must be at most 2^53 - 1',
    ],
    [
      'attempt as a string',
      envelope(sample('slot-request', { attempt: '0' })),
      'message.attempt',
      INT_0,
    ],
    [
      'zero fencing token',
      envelope(sample('slot-release', { fencingToken: 0 })),
      'message.fencingToken',
      'must be an integer >= 1',
    ],
    ['fractional epoch', envelope(sample('module-idle', { epoch: 2.5 })), 'message.epoch', INT_0],
    ['negative nonce', envelope(sample('ping', { nonce: -3 })), 'message.nonce', INT_0],
    [
      'fractional generation',
      envelope(sample('token-pass', { generation: 0.1 })),
      'message.generation',
      INT_0,
    ],
    [
      'unknown deny reason',
      envelope(sample('slot-deny', { reason: 'nope' })),
      'message.reason',
      'must be one of not-sensor, busy, lower-priority, slot-passed, view-mismatch, not-expected',
    ],
    [
      'unknown outcome',
      envelope(sample('slot-done', { outcome: 'maybe' })),
      'message.outcome',
      'must be one of measured, skipped, timeout',
    ],
    [
      'controller as idle module',
      envelope(sample('module-idle', { module: 'controller' })),
      'message.module',
      'must be one of sensor, monitor',
    ],
    [
      'active not boolean',
      envelope(sample('role', { active: 'yes' })),
      'message.active',
      'must be true or false',
    ],
    [
      'null optional backInMs',
      envelope(sample('role', { backInMs: null })),
      'message.backInMs',
      'must be a finite number >= 0',
    ],
    [
      'request id with a space',
      envelope(sample('slot-grant', { requestId: 'n1 12' })),
      'message.requestId',
      'must be 1-128 printable ASCII characters without spaces',
    ],
    ['empty node name', envelope(sample('hello', { node: '' })), 'message.node', NODE_NAME_RULE],
    [
      'unknown key in message',
      envelope(sample('hello', { extra: 1 })),
      'message.extra',
      'is not allowed',
    ],
    ['unknown key in envelope', envelope(sample('hello'), { extra: 1 }), 'extra', 'is not allowed'],
    [
      'bad member',
      envelope(sample('members', { members: ['n1', 'n.2'] })),
      'message.members.1',
      NODE_NAME_RULE,
    ],
    [
      'members not a list',
      envelope(sample('pong', { members: 'n1' })),
      'message.members',
      'must be an array of at most 4096 node names',
    ],
    [
      'missing priority pin',
      envelope({ type: 'priority-override', sensor: 'n2' }),
      'message.priorityMs',
      'must be an integer >= 0 or null',
    ],
    [
      'unknown scope mode',
      envelope(sample('intents', { scope: { mode: 'some' } })),
      'message.scope.mode',
      'must be one of all, pairs',
    ],
    [
      'pairs with mode all',
      envelope(sample('intents', { scope: { mode: 'all', pairs: [] } })),
      'message.scope.pairs',
      "must be absent when mode is 'all'",
    ],
    [
      'pairs missing',
      envelope(sample('intents', { scope: { mode: 'pairs' } })),
      'message.scope.pairs',
      'must be an array of at most 65536 [monitor, sensor] pairs',
    ],
    [
      'pair of one',
      envelope(sample('intents', { scope: { mode: 'pairs', pairs: [['n1', 'n2'], ['n1']] } })),
      'message.scope.pairs.1',
      'must be a [monitor, sensor] pair of node names',
    ],
    [
      'bad name in pair',
      envelope(sample('intents', { scope: { mode: 'pairs', pairs: [['n1', 'x y']] } })),
      'message.scope.pairs.0.1',
      NODE_NAME_RULE,
    ],
  ])('%s -> %s', (_name, body, field, rule) => {
    expect(problemsOf(body)).toEqual([{ field, rule }]);
  });

  it('reports every broken field at once', () => {
    const body = envelope(sample('slot-grant', { fencingToken: -1, leaseMs: 'soon' }), {
      sentAtMs: null,
    });

    expect(problemsOf(body)).toEqual(
      expect.arrayContaining([
        { field: 'sentAtMs', rule: 'must be a finite number >= 0' },
        { field: 'message.fencingToken', rule: 'must be an integer >= 1' },
        { field: 'message.leaseMs', rule: 'must be a finite number >= 0' },
      ]),
    );
    expect(problemsOf(body)).toHaveLength(3);
  });

  it('refuses __proto__ and constructor keys without touching any prototype', () => {
    const text = `{"v":1,"from":{"node":"n1","module":"sensor"},"sentAtMs":1,
      "message":{"type":"hello","node":"n1","__proto__":{"polluted":true}},
      "constructor":{"prototype":{"polluted":true}}}`;

    expect(problemsOf(text)).toEqual(
      expect.arrayContaining([
        { field: 'message.__proto__', rule: 'is not allowed' },
        { field: 'constructor', rule: 'is not allowed' },
      ]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses invalid UTF-8', () => {
    const decoded = decodeSchedulerEnvelope(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(decoded).toEqual({ ok: false, problems: [{ field: '(body)', rule: 'must be UTF-8' }] });
  });

  it('refuses bodies larger than NATS would carry', () => {
    const decoded = decodeSchedulerEnvelope(new Uint8Array(MAX_PAYLOAD_BYTES + 1));
    expect(decoded).toEqual({
      ok: false,
      problems: [{ field: '(body)', rule: `must be at most ${MAX_PAYLOAD_BYTES} bytes` }],
    });
  });

  it('refuses nesting deeper than any contract, naming where it got too deep', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `{"v":1,"from":{"node":"n1","module":"sensor"},"sentAtMs":1,"message":{"type":"hello","node":"n1","x":${deep}}}`;

    const problems = problemsOf(text);

    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toMatch(/^message\.x(\.0)+$/);
    expect(problems[0]!.rule).toBe('must be nested at most 16 levels deep');
  });

  it('lists a bounded number of problems and says that more were left out', () => {
    const junk = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    const problems = problemsOf(envelope(sample('hello', junk)));

    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.at(-1)).toEqual({ field: '(body)', rule: 'has more problems than listed' });
  });

  it('cuts very long field names', () => {
    const problems = problemsOf(envelope(sample('hello', { ['k'.repeat(5000)]: 1 })));
    expect(problems[0]!.field.length).toBeLessThanOrEqual(200);
  });
});

describe('decoders on exotic arguments from code', () => {
  it('a Proxy that throws on every trap gives a problem, not an exception', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(decodeSchedulerEnvelope(hostile as unknown as string)).toEqual({
      ok: false,
      problems: [{ field: '(body)', rule: 'could not be validated (Error)' }],
    });
  });
});
