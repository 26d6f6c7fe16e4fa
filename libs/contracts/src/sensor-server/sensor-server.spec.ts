import { ErrorCodes } from '../errors/error-codes.js';
import { errorReply } from '../errors/error-reply.dto.js';
import { problemsOf, withChanges } from '../testing/decode-helpers.js';
import {
  decodeServerStartReply,
  decodeServerStartRequest,
  encodeServerStartReply,
  encodeServerStartRequest,
  type ServerStartRequest,
} from './server-start.dto.js';
import {
  decodeServerStopReply,
  decodeServerStopRequest,
  encodeServerStopReply,
  encodeServerStopRequest,
} from './server-stop.dto.js';

const startRequest: ServerStartRequest = {
  v: 1,
  measurementId: 'n1#12',
  monitor: 'n1',
  fencingToken: 41,
  leaseHolder: 'b2f9c0d1e3a4',
  protocol: 'tcp',
  seconds: 10,
};

describe('sensor server contracts', () => {
  it('round trip - start request, success reply and error reply', () => {
    const ok = { v: 1, ok: true, host: '10.0.0.2', port: 5201 } as const;
    const refused = errorReply(ErrorCodes.staleFencingToken, 'token 41 < 42');

    expect(decodeServerStartRequest(encodeServerStartRequest(startRequest))).toEqual({
      ok: true,
      value: startRequest,
    });
    expect(decodeServerStartReply(encodeServerStartReply(ok))).toEqual({ ok: true, value: ok });
    expect(decodeServerStartReply(encodeServerStartReply(refused))).toEqual({
      ok: true,
      value: refused,
    });
  });

  it('round trip - stop request and replies', () => {
    const request = { v: 1, measurementId: 'n1#12' } as const;
    const ok = { v: 1, ok: true } as const;
    const notFound = errorReply(ErrorCodes.notFound, 'no server for n1#12');

    expect(decodeServerStopRequest(encodeServerStopRequest(request))).toEqual({
      ok: true,
      value: request,
    });
    expect(decodeServerStopReply(encodeServerStopReply(ok))).toEqual({ ok: true, value: ok });
    expect(decodeServerStopReply(encodeServerStopReply(notFound))).toEqual({
      ok: true,
      value: notFound,
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['zero fencing token', { fencingToken: 0 }, 'fencingToken', 'must be an integer >= 1'],
    ['unknown protocol', { protocol: 'sctp' }, 'protocol', 'must be one of tcp, udp'],
    ['zero seconds', { seconds: 0 }, 'seconds', 'must be a finite number > 0'],
    [
      'dotted monitor',
      { monitor: 'n.1' },
      'monitor',
      expect.stringMatching(/^must be a node name/),
    ],
    [
      'empty lease holder',
      { leaseHolder: '' },
      'leaseHolder',
      expect.stringMatching(/^must be 1-128/),
    ],
  ])('start request - %s is refused on %s', (_name, changes, field, rule) => {
    expect(problemsOf(decodeServerStartRequest(withChanges(startRequest, changes)))).toEqual([
      { field, rule },
    ]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a host name instead of an IPv4 address',
      { host: 'sensor-2' },
      'host',
      'must be an IPv4 address',
    ],
    ['port 0', { port: 0 }, 'port', 'must be an integer from 1 to 65535'],
    ['ok not a boolean', { ok: 'yes' }, 'ok', 'must be one of true, false'],
  ])('start reply - %s is refused', (_name, changes, field, rule) => {
    const ok = { v: 1, ok: true, host: '10.0.0.2', port: 5201 };
    expect(problemsOf(decodeServerStartReply(withChanges(ok, changes)))).toEqual([{ field, rule }]);
  });

  it('stop reply - ok:false needs an error', () => {
    expect(problemsOf(decodeServerStopReply('{"v":1,"ok":false}'))).toEqual([
      { field: 'error', rule: 'must be an object' },
    ]);
  });
});
