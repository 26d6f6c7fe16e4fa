import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import {
  decodeMeasureRequest,
  encodeMeasureReply,
  errorReply,
  type MeasureReply,
} from '@meshmon/contracts';
import { goodResult, knowNodes, startHarness, type Harness } from './gateway-harness.js';

jest.setTimeout(60_000);

const BODY = { monitor: 'm1', sensor: 's1', tool: 'iperf3-tcp', waitMs: 0 };

describe('gateway measurements', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('gw-measure');
    await knowNodes(harness, ['m1', 's1']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** Plays the monitor's part on its measure subject for one request. */
  async function respondOnce(
    reply: (request: unknown) => MeasureReply,
  ): Promise<{ requests: unknown[] }> {
    const requests: unknown[] = [];
    const subscription = harness.nats.subscribe(harness.subjects.measureRequest('m1'), {
      max: 1,
      callback: (_error, msg) => {
        const decoded = decodeMeasureRequest(msg.data);
        requests.push(decoded);
        msg.respond(encodeMeasureReply(reply(decoded)));
      },
    });
    await harness.nats.flush();
    void subscription;
    return { requests };
  }

  it('measurement - no monitor listening answers 503', async () => {
    const response = await harness.call('POST', '/api/v1/measurements', { body: BODY });

    expect(response.status).toBe(503);
    expect(response.json.error).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('m1'),
    });
  });

  it('measurement - a busy monitor answers 409', async () => {
    await respondOnce(() => errorReply('busy', 'sensor s1 is measuring'));

    const response = await harness.call('POST', '/api/v1/measurements', { body: BODY });

    expect(response.status).toBe(409);
    expect(response.json.error).toMatchObject({ code: 'busy', message: 'sensor s1 is measuring' });
  });

  it('measurement - a monitor that refuses the request as invalid answers 400 with its problems', async () => {
    await respondOnce(() =>
      errorReply('invalid-message', 'bad', [{ field: 'sensor', rule: 'must be a node name' }]),
    );

    const response = await harness.call('POST', '/api/v1/measurements', { body: BODY });

    expect(response.status).toBe(400);
    expect(response.json.error.problems).toEqual([
      { field: 'sensor', rule: 'must be a node name' },
    ]);
  });

  it('measurement - a result answers 200 with it, and the request carried the body', async () => {
    const result = goodResult(harness.cluster, 'm1', 's1');
    const responder = await respondOnce(() => ({ v: 1, ok: true, result }));

    const response = await harness.call('POST', '/api/v1/measurements', {
      body: { ...BODY, tool: 'iperf3-udp', waitMs: 2500 },
    });

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ result });
    expect(responder.requests).toEqual([
      { ok: true, value: { v: 1, sensor: 's1', tool: 'iperf3-udp', waitMs: 2500 } },
    ]);
  });
});
