/**
 * One valid sample of every scheduler message, with every optional field set, for the
 * round-trip and fuzz tests (here and in the services). The mapped type makes a new
 * message type in the core fail to compile until it has a sample.
 */
import type { SchedulerMessage } from '@meshmon/scheduling';
import type { SchedulerMessageType } from './scheduler-message-classes.js';

const slot = { viewId: '4-1a2b3c4d', cycle: 3, slot: 7 };

export const SCHEDULER_MESSAGE_SAMPLES: {
  readonly [Type in SchedulerMessageType]: Extract<SchedulerMessage, { type: Type }>;
} = {
  'slot-request': {
    type: 'slot-request',
    requestId: 'n1#12',
    monitor: 'n1',
    priority: Number.MAX_SAFE_INTEGER,
    attempt: 0,
    slot,
  },
  'slot-grant': {
    type: 'slot-grant',
    requestId: 'n1#12',
    sensor: 'n2',
    fencingToken: 41,
    leaseMs: 15_000,
    attempt: 1,
  },
  'slot-deny': {
    type: 'slot-deny',
    requestId: 'n1#12',
    sensor: 'n2',
    reason: 'lower-priority',
    retryAfterMs: 1234.5,
  },
  'slot-release': { type: 'slot-release', requestId: 'n1#12', monitor: 'n1', fencingToken: 41 },
  ping: { type: 'ping', from: 'n1', nonce: 0, viewId: '4-1a2b3c4d' },
  pong: { type: 'pong', from: 'n2', nonce: 9, members: ['n1', 'n2', 'node_3', 'edge-4'] },
  hello: { type: 'hello', node: 'n5' },
  welcome: { type: 'welcome', node: 'n1' },
  goodbye: { type: 'goodbye', node: 'n5' },
  'token-pass': { type: 'token-pass', from: 'n1', generation: 2 },
  'token-ack': { type: 'token-ack', from: 'n2', generation: 2 },
  'token-holder': { type: 'token-holder', node: 'n2', generation: 2 },
  role: { type: 'role', active: false, epoch: 5, backInMs: 27_000 },
  'module-idle': { type: 'module-idle', module: 'sensor', epoch: 5 },
  'module-ready': { type: 'module-ready', module: 'monitor' },
  members: { type: 'members', members: ['n1', 'n2', 'n3'] },
  'slot-assign': { type: 'slot-assign', slot, partner: 'n3' },
  'slot-done': { type: 'slot-done', module: 'monitor', slot, outcome: 'measured' },
  'slot-offer': { type: 'slot-offer', sensor: 'n3', slot },
  'slot-passed': { type: 'slot-passed', monitor: 'n1', slot },
  'round-complete': { type: 'round-complete', epoch: 6 },
  intents: {
    type: 'intents',
    scope: {
      mode: 'pairs',
      pairs: [
        ['n1', 'n2'],
        ['n2', 'n1'],
      ],
    },
  },
  'priority-override': { type: 'priority-override', sensor: 'n2', priorityMs: null },
};

export const SAMPLE_SENDER = { node: 'n1', module: 'monitor' } as const;
