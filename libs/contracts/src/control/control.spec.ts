import type { Decoded, Problem } from '../validation/problem.js';
import { decodeManualIntents, encodeManualIntents } from './intents-control.dto.js';
import { decodeSchedulerControl, encodeSchedulerControl } from './scheduler-control.dto.js';
import { decodeMeasureRequest } from '../measure/measure-request.dto.js';

const problemsOf = (decoded: Decoded<unknown>): readonly Problem[] =>
  decoded.ok ? [] : decoded.problems;

describe('scheduler control', () => {
  it('round trip - a start order with parameters and a stop order', () => {
    const start = {
      v: 1 as const,
      action: 'start' as const,
      runId: 'r-1',
      algorithm: 'crs' as const,
      params: { 'crs.threshold': 0.5 },
      requestedAtMs: 5,
    };
    expect(decodeSchedulerControl(encodeSchedulerControl(start))).toEqual({
      ok: true,
      value: start,
    });
    const stop = { v: 1 as const, action: 'stop' as const, runId: 'r-1', requestedAtMs: 6 };
    expect(decodeSchedulerControl(encodeSchedulerControl(stop))).toEqual({ ok: true, value: stop });
  });

  it('decode - names the parameter that is not one, and an unknown algorithm', () => {
    const body = {
      v: 1,
      action: 'start',
      runId: 'r',
      algorithm: 'fifo',
      params: { 'cps.listeningMs': 640, speed: 3 },
      requestedAtMs: 0,
    };
    const problems = problemsOf(decodeSchedulerControl(JSON.stringify(body)));
    expect(problems).toEqual([
      { field: 'algorithm', rule: 'must be one of rr, crs, cps, tts' },
      { field: 'params.speed', rule: expect.stringMatching(/^is not a scheduler parameter/) },
    ]);
  });

  it('decode - parameters travel as numbers by name: a text, a string value or a list is refused', () => {
    const decode = (params: unknown) =>
      problemsOf(
        decodeSchedulerControl(
          JSON.stringify({
            v: 1,
            action: 'start',
            runId: 'r',
            algorithm: 'cps',
            params,
            requestedAtMs: 0,
          }),
        ),
      );
    expect(decode({ 'cps.listeningMs': '640' })).toEqual([
      { field: 'params.cps.listeningMs', rule: 'must be a finite number (got "640")' },
    ]);
    expect(decode(['cps.listeningMs=640'])).toEqual([
      { field: 'params', rule: 'must be an object of scheduler parameters by name' },
    ]);
  });

  it('decode - an unknown action is refused by name', () => {
    const problems = problemsOf(decodeSchedulerControl('{"v":1,"action":"pause","runId":"r"}'));
    expect(problems).toEqual([{ field: 'action', rule: expect.stringContaining('start') }]);
  });
});

describe('manual intents', () => {
  it('round trip - the whole list', () => {
    const intents = { v: 1 as const, pairs: [['n1', 'n2'] as const], changedAtMs: 1 };
    expect(decodeManualIntents(encodeManualIntents(intents))).toEqual({ ok: true, value: intents });
  });

  it('decode - names the element that is not a pair of two different nodes', () => {
    const decode = (pairs: unknown) =>
      problemsOf(decodeManualIntents(JSON.stringify({ v: 1, pairs, changedAtMs: 0 })));
    expect(decode([['n1', 'n2'], ['n3']])).toEqual([
      { field: 'pairs.1', rule: 'must be a [monitor, sensor] pair of node names' },
    ]);
    expect(decode([['n1', 'n1']])).toEqual([
      { field: 'pairs.0', rule: 'must name two different nodes' },
    ]);
    expect(decode([['n1', 'a.b']])).toEqual([
      { field: 'pairs.0.1', rule: expect.stringMatching(/^must be a node name/) },
    ]);
  });
});

describe('measure request', () => {
  it('decode - refuses an unknown tool and a wait beyond five minutes, naming both', () => {
    const body = { v: 1, sensor: 'n2', tool: 'netperf', waitMs: 300_001 };
    expect(problemsOf(decodeMeasureRequest(JSON.stringify(body))).map((p) => p.field)).toEqual([
      'tool',
      'waitMs',
    ]);
  });
});
