import { iperfClientArgs, type IperfClientOptions } from './iperf-client.js';
import { iperfServerArgs, type IperfServerOptions } from './iperf-server.js';
import { pingArgs, type PingOptions } from './ping.js';
import { ProbeInputError } from './probe-error.js';

const client: IperfClientOptions = {
  host: '127.0.0.1',
  port: 5201,
  seconds: 10,
  protocol: 'tcp',
  timeoutMs: 15_000,
};
const server: IperfServerOptions = { port: 5201, idleTimeoutSeconds: 15 };
const ping: PingOptions = { host: '127.0.0.1', count: 3, intervalSeconds: 0.2, timeoutMs: 2000 };

describe(iperfClientArgs.name, () => {
  const sut = iperfClientArgs;

  it('client args - TCP: host, port, whole seconds, JSON', () => {
    expect(sut(client)).toEqual(['-c', '127.0.0.1', '-p', '5201', '-t', '10', '-J']);
  });

  it('client args - UDP with a rate, a source address and a connect timeout', () => {
    expect(
      sut({
        ...client,
        protocol: 'udp',
        udpBitrate: '100M',
        bindAddress: '127.0.0.2',
        connectTimeoutMs: 500,
      }),
    ).toEqual([
      ...['-c', '127.0.0.1', '-p', '5201', '-t', '10', '-J', '-u', '-b', '100M'],
      ...['-B', '127.0.0.2', '--connect-timeout', '500'],
    ]);
  });

  it.each<[Partial<IperfClientOptions>, string]>([
    [{ port: 0 }, 'port: must be an integer in 1..65535 (got 0)'],
    [{ port: 65536 }, 'port: must be an integer in 1..65535 (got 65536)'],
    [{ port: 80.5 }, 'port: must be an integer in 1..65535 (got 80.5)'],
    [{ seconds: 0.5 }, 'seconds: must be an integer in 1..86400 (got 0.5)'],
    [{ seconds: 0 }, 'seconds: must be an integer in 1..86400 (got 0)'],
    [{ host: '' }, 'host: must be a non-empty host name or address'],
    [{ host: '-f' }, 'host: must not start with "-" or contain whitespace (got "-f")'],
    [{ host: 'a b' }, 'host: must not start with "-" or contain whitespace (got "a b")'],
    [{ bindAddress: '--x' }, 'bindAddress: must not start with "-"'],
    [{ timeoutMs: 0 }, 'timeoutMs: must be an integer in 1..2147483647 (got 0)'],
    [{ timeoutMs: Number.NaN }, 'timeoutMs: must be an integer'],
    [{ udpBitrate: '10M' }, 'udpBitrate: only applies when protocol is udp'],
    [{ protocol: 'udp', udpBitrate: 'fast' }, 'udpBitrate: must look like 100M'],
    [{ protocol: 'sctp' as 'tcp' }, 'protocol: must be "tcp" or "udp" (got "sctp")'],
    [{ connectTimeoutMs: -1 }, 'connectTimeoutMs: must be an integer'],
  ])('client args - %j is refused: %s', (change, message) => {
    expect(() => sut({ ...client, ...change })).toThrow(ProbeInputError);
    expect(() => sut({ ...client, ...change })).toThrow(message);
  });

  it('client args - the error names the field and the rule separately', () => {
    expect(() => sut({ ...client, port: -1 })).toThrow(
      expect.objectContaining({ field: 'port', rule: 'must be an integer in 1..65535 (got -1)' }),
    );
  });
});

describe(iperfServerArgs.name, () => {
  const sut = iperfServerArgs;

  it('server args - one-off, idle and receive timeouts, flushed text output', () => {
    expect(sut({ ...server, bindAddress: '127.0.0.1' })).toEqual([
      ...['-s', '-1', '-p', '5201', '--idle-timeout', '15', '--rcv-timeout', '5000'],
      ...['--forceflush', '-B', '127.0.0.1'],
    ]);
  });

  it.each<[Partial<IperfServerOptions>, string]>([
    [{ port: 70000 }, 'port: must be an integer in 1..65535'],
    [{ idleTimeoutSeconds: 0 }, 'idleTimeoutSeconds: must be an integer in 1..86400'],
    [{ idleTimeoutSeconds: 2.5 }, 'idleTimeoutSeconds: must be an integer in 1..86400'],
    [{ receiveTimeoutMs: 99 }, 'receiveTimeoutMs: must be an integer in 100..86400000'],
    [{ bindAddress: '' }, 'bindAddress: must be a non-empty host name or address'],
  ])('server args - %j is refused: %s', (change, message) => {
    expect(() => sut({ ...server, ...change })).toThrow(message);
  });
});

describe(pingArgs.name, () => {
  const sut = pingArgs;

  it('ping args - numeric, quiet, count, interval, a short last-reply wait, host last', () => {
    expect(sut(ping)).toEqual(['-n', '-q', '-c', '3', '-i', '0.2', '-W', '1', '127.0.0.1']);
  });

  it.each<[Partial<PingOptions>, string]>([
    [{ count: 0 }, 'count: must be an integer in 1..100000'],
    [{ count: 1.5 }, 'count: must be an integer in 1..100000'],
    [{ intervalSeconds: 0 }, 'intervalSeconds: must be a number of seconds in 0.001..3600'],
    [{ intervalSeconds: 1e-7 }, 'intervalSeconds: must be a number of seconds in 0.001..3600'],
    [{ replyTimeoutSeconds: Infinity }, 'replyTimeoutSeconds: must be a number of seconds'],
    [{ host: '-f' }, 'host: must not start with "-"'],
    [{ timeoutMs: 1.5 }, 'timeoutMs: must be an integer'],
  ])('ping args - %j is refused: %s', (change, message) => {
    expect(() => sut({ ...ping, ...change })).toThrow(message);
  });
});
