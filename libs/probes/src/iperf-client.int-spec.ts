import { runIperfClient, type IperfClientOptions } from './iperf-client.js';
import { startIperfServer, type IperfServer } from './iperf-server.js';
import { ProbeError } from './probe-error.js';
import { freePort, processExists, waitFor } from './testing/integration-helpers.js';

// Real iperf3 on 127.0.0.1 only. Every test starts its own one-off server on a random port.

const servers: IperfServer[] = [];

async function server(): Promise<IperfServer> {
  const started = await startIperfServer({
    port: await freePort(),
    bindAddress: '127.0.0.1',
    idleTimeoutSeconds: 5,
  });
  servers.push(started);
  return started;
}

function clientOf(target: IperfServer): IperfClientOptions {
  return { host: '127.0.0.1', port: target.port, seconds: 1, protocol: 'tcp', timeoutMs: 8000 };
}

async function rejection(promise: Promise<unknown>): Promise<ProbeError> {
  const error = await promise.then(
    () => new Error('expected the probe to fail, but it succeeded'),
    (reason: unknown) => reason,
  );
  if (error instanceof ProbeError) return error;
  throw error;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((running) => running.stop()));
});

describe(runIperfClient.name, () => {
  it('iperf3 client - a 1 s TCP probe gives throughput, retransmits and both CPU figures', async () => {
    const target = await server();
    const result = await runIperfClient(clientOf(target));
    expect(result.protocol).toBe('tcp');
    expect(result.seconds).toBeGreaterThan(0.9);
    expect(result.bitsPerSecond).toBeGreaterThan(1e8);
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.retransmits).toBeGreaterThanOrEqual(0);
    expect(result.jitterMs).toBeNull();
    expect(result.cpu.clientPercent).toBeGreaterThan(0);
    expect(result.cpu.serverPercent).toBeGreaterThan(0);
    await expect(target.exited).resolves.toMatchObject({ reason: 'served' });
  });

  it('iperf3 client - a 1 s UDP probe gives rate, jitter and loss', async () => {
    const target = await server();
    const result = await runIperfClient({
      ...clientOf(target),
      protocol: 'udp',
      udpBitrate: '50M',
    });
    expect(result.protocol).toBe('udp');
    expect(result.bitsPerSecond).toBeGreaterThan(1e7);
    expect(result.retransmits).toBeNull();
    expect(result.jitterMs).toBeGreaterThanOrEqual(0);
    expect(result.packets).toBeGreaterThan(0);
    expect(result.lostPackets).toBeGreaterThanOrEqual(0);
    expect(result.lostPercent).toBeGreaterThanOrEqual(0);
    expect(result.lostPercent).toBeLessThanOrEqual(100);
    expect(result.cpu.clientPercent).toBeGreaterThanOrEqual(0);
    expect(result.cpu.serverPercent).toBeGreaterThanOrEqual(0);
  });

  it('iperf3 client - a second client while a test runs gets server-busy', async () => {
    const target = await server();
    const first = runIperfClient({ ...clientOf(target), seconds: 3 });
    await target.accepted;
    const error = await rejection(runIperfClient(clientOf(target)));
    expect(error).toMatchObject({ tool: 'iperf3', code: 'server-busy' });
    await expect(first).resolves.toMatchObject({ protocol: 'tcp' });
  });

  it('iperf3 client - a port with no server gives connect-failed', async () => {
    const port = await freePort();
    const error = await rejection(
      runIperfClient({ host: '127.0.0.1', port, seconds: 1, protocol: 'tcp', timeoutMs: 5000 }),
    );
    expect(error.code).toBe('connect-failed');
    expect(error.detail).toContain('Connection refused');
  });

  it('iperf3 client - a timeout shorter than the test kills the client: no pid remains', async () => {
    const target = await server();
    let pid = -1;
    const started = Date.now();
    const error = await rejection(
      runIperfClient({
        ...clientOf(target),
        seconds: 5,
        timeoutMs: 700,
        onSpawn: (spawned) => (pid = spawned),
      }),
    );
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(pid).toBeGreaterThan(0);
    expect(processExists(pid)).toBe(false);
    // The server sees its client go and exits by itself.
    await expect(target.exited).resolves.toMatchObject({ reason: 'client-lost' });
  });

  it('iperf3 client - abort kills the client and rejects with cancelled', async () => {
    const target = await server();
    const abort = new AbortController();
    let pid = -1;
    const probe = runIperfClient({
      ...clientOf(target),
      seconds: 5,
      signal: abort.signal,
      onSpawn: (spawned) => (pid = spawned),
    });
    await target.accepted;
    abort.abort();
    const error = await rejection(probe);
    expect(error.code).toBe('cancelled');
    expect(processExists(pid)).toBe(false);
  });

  it('iperf3 client - an already aborted signal starts nothing', async () => {
    let spawned = false;
    const error = await rejection(
      runIperfClient({
        host: '127.0.0.1',
        port: 5201,
        seconds: 1,
        protocol: 'tcp',
        timeoutMs: 1000,
        signal: AbortSignal.abort(),
        onSpawn: () => (spawned = true),
      }),
    );
    expect(error.code).toBe('cancelled');
    expect(spawned).toBe(false);
  });

  it('iperf3 client - a missing binary gives spawn-failed', async () => {
    const error = await rejection(
      runIperfClient({
        host: '127.0.0.1',
        port: 5201,
        seconds: 1,
        protocol: 'tcp',
        timeoutMs: 1000,
        executable: '/nonexistent/iperf3',
      }),
    );
    expect(error.code).toBe('spawn-failed');
    expect(error.detail).toContain('ENOENT');
  });

  it('iperf3 client - waits for no zombie: the pid is reaped when a probe succeeds', async () => {
    const target = await server();
    let pid = -1;
    await runIperfClient({ ...clientOf(target), onSpawn: (spawned) => (pid = spawned) });
    await waitFor(`pid ${pid} to be reaped`, () => !processExists(pid), 1000);
  });
});
