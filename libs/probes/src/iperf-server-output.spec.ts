import {
  classifyServerExit,
  IperfServerOutput,
  type IperfServerEvent,
} from './iperf-server-output.js';
import { readFixture } from './testing/read-fixture.js';

/** Feeds a capture in small chunks, as a pipe delivers it, split mid-line on purpose. */
function scan(text: string, chunkSize = 7): { sut: IperfServerOutput; events: IperfServerEvent[] } {
  const sut = new IperfServerOutput();
  const events: IperfServerEvent[] = [];
  for (let i = 0; i < text.length; i += chunkSize) {
    events.push(...sut.feed('stdout', text.slice(i, i + chunkSize)));
  }
  events.push(...sut.end());
  return { sut, events };
}

const exitedNormally = { exitCode: 0, signal: null, stopRequested: false };

describe(IperfServerOutput.name, () => {
  it('server output - sees "Server listening" and "Accepted connection" once each, in order', () => {
    const { sut, events } = scan(readFixture('iperf3-server-served.txt'));
    expect(events).toEqual(['listening', 'accepted']);
    expect(sut.errors).toEqual([]);
  });

  it('server output - keeps the stderr lines apart from a stdout line split across chunks', () => {
    const sut = new IperfServerOutput();
    expect(sut.feed('stdout', 'Server liste')).toEqual([]);
    expect(sut.feed('stderr', 'iperf3: error - unable to')).toEqual([]);
    expect(sut.feed('stdout', 'ning on 5201 (test #1)\n')).toEqual(['listening']);
    expect(sut.feed('stderr', ' start listener\niperf3: exiting\n')).toEqual([]);
    expect(sut.errors).toEqual(['iperf3: error - unable to start listener']);
  });

  it('server output - drops an endless line instead of buffering it', () => {
    const sut = new IperfServerOutput();
    sut.feed('stdout', 'x'.repeat(10_000));
    expect(sut.feed('stdout', 'Server listening on 5201\n')).toEqual(['listening']);
  });
});

describe(classifyServerExit.name, () => {
  const sut = classifyServerExit;

  it('server exit - served: a client came and the server exited 0', () => {
    const { sut: output } = scan(readFixture('iperf3-server-served.txt'));
    expect(sut(output, exitedNormally)).toEqual({
      reason: 'served',
      exitCode: 0,
      signal: null,
      detail: undefined,
    });
  });

  it('server exit - idle-timeout: no client came and the server exited 0 without a word', () => {
    const { sut: output } = scan(readFixture('iperf3-server-idle-timeout.txt'));
    expect(sut(output, exitedNormally).reason).toBe('idle-timeout');
  });

  it.each([
    ['iperf3-server-client-stalled.txt', 'iperf3: error - idle timeout for receiving data'],
    [
      'iperf3-server-client-killed.txt',
      'iperf3: the client has unexpectedly closed the connection',
    ],
    ['iperf3-server-bare-connect.txt', 'iperf3: error - unable to receive parameters from client:'],
  ])('server exit - client-lost: %s', (fixture, detail) => {
    const { sut: output } = scan(readFixture(fixture));
    expect(sut(output, exitedNormally)).toMatchObject({ reason: 'client-lost', detail });
  });

  it('server exit - stopped: we asked, whatever it printed', () => {
    const { sut: output } = scan(readFixture('iperf3-server-sigterm.txt'));
    expect(sut(output, { exitCode: 1, signal: null, stopRequested: true })).toMatchObject({
      reason: 'stopped',
      detail: 'iperf3: interrupt - the server has terminated',
    });
  });

  it('server exit - failed: terminated by someone else', () => {
    const { sut: output } = scan(readFixture('iperf3-server-sigterm.txt'));
    expect(sut(output, { exitCode: 1, signal: null, stopRequested: false }).reason).toBe('failed');
  });

  it('server exit - failed: could not listen, with iperf3 error as detail', () => {
    const { sut: output, events } = scan(readFixture('iperf3-server-port-in-use.txt'));
    expect(events).toEqual([]);
    expect(sut(output, { exitCode: 1, signal: null, stopRequested: false })).toMatchObject({
      reason: 'failed',
      detail: 'iperf3: error - unable to start listener for connections: Address already in use',
    });
  });

  it('server exit - failed: killed by a signal', () => {
    const { sut: output } = scan(readFixture('iperf3-server-served.txt'));
    expect(sut(output, { exitCode: null, signal: 'SIGKILL', stopRequested: false }).reason).toBe(
      'failed',
    );
  });
});
