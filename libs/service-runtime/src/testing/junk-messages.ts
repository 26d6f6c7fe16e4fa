import { randomBytes } from 'node:crypto';
import type { Subjects } from '@meshmon/contracts';

/**
 * Bad input for floods (`npm run bench:bad-input`, `npm run chaos`), cycling through the
 * shapes that break decoders: not JSON, wrong types, unknown fields, deep, huge, binary,
 * empty, and prototype pollution.
 */
export function junkMessage(i: number): Uint8Array | string {
  switch (i % 8) {
    case 0:
      return '{not json';
    case 1:
      return JSON.stringify({ v: 1, from: { node: 7, module: 'nobody' }, message: [] });
    case 2:
      return JSON.stringify({ v: 99, action: 'start', runId: 'x'.repeat(500) });
    case 3:
      return '['.repeat(2000);
    case 4:
      return randomBytes(64);
    case 5:
      return JSON.stringify({ v: 1, extra: 'x'.repeat(60_000) });
    case 6:
      return '';
    default:
      return JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: 1 } });
  }
}

/**
 * Every subject some service listens to, addressed to `node` (and `peer`, for a flow map
 * and a result): where bad input can reach a decoder.
 */
export function listenedSubjects(subjects: Subjects, node: string, peer: string): string[] {
  return [
    ...(['controller', 'sensor', 'monitor'] as const).flatMap((module) => [
      subjects.schedulerMessage(node, module, 'ping'),
      subjects.schedulerMessage(node, module, 'slot-request'),
      subjects.broadcast(module, 'hello'),
    ]),
    subjects.serverStart(node),
    subjects.serverStop(node),
    subjects.measureRequest(node),
    subjects.schedulerControl,
    subjects.intentsControl,
    subjects.flows(peer),
    subjects.sinkStats,
    subjects.result(node, peer),
    subjects.event('role-switched'),
  ];
}
