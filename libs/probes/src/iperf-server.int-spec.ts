import { spawn } from 'node:child_process';
import { runIperfClient } from './iperf-client.js';
import { startIperfServer, type IperfServer } from './iperf-server.js';
import { ProbeError } from './probe-error.js';
import { freePort, processExists } from './testing/integration-helpers.js';

// Real iperf3 on 127.0.0.1 only.

const servers: IperfServer[] = [];

async function server(idleTimeoutSeconds = 5, receiveTimeoutMs?: number): Promise<IperfServer> {
  const started = await startIperfServer({
    port: await freePort(),
    bindAddress: '127.0.0.1',
    idleTimeoutSeconds,
    receiveTimeoutMs,
  });
  servers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((running) => running.stop()));
});

describe(startIperfServer.name, () => {
  it('iperf3 server - serves exactly one client, then exits by itself', async () => {
    const sut = await server();
    expect(processExists(sut.pid)).toBe(true);
    await runIperfClient({
      host: '127.0.0.1',
      port: sut.port,
      seconds: 1,
      protocol: 'tcp',
      timeoutMs: 5000,
    });
    await expect(sut.exited).resolves.toEqual({
      reason: 'served',
      exitCode: 0,
      signal: null,
      detail: undefined,
    });
    expect(processExists(sut.pid)).toBe(false);
  });

  it('iperf3 server - exits by itself after --idle-timeout when no client comes', async () => {
    const started = Date.now();
    const sut = await server(2);
    await expect(sut.exited).resolves.toMatchObject({ reason: 'idle-timeout', exitCode: 0 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(4500);
    expect(processExists(sut.pid)).toBe(false);
  });

  it('iperf3 server - a client that stalls mid-test ends the server after --rcv-timeout', async () => {
    const sut = await server(5, 1000);
    // A real iperf3 client, frozen with SIGSTOP once its test runs: its connection stays
    // open but no data comes, as when a monitor host hangs.
    const client = spawn('iperf3', ['-c', '127.0.0.1', '-p', String(sut.port), '-t', '5'], {
      stdio: 'ignore',
    });
    const clientGone = new Promise((resolve) => client.once('close', resolve));
    try {
      await sut.accepted;
      client.kill('SIGSTOP');
      await expect(sut.exited).resolves.toMatchObject({
        reason: 'client-lost',
        detail: 'iperf3: error - idle timeout for receiving data',
      });
    } finally {
      client.kill('SIGKILL');
      await clientGone;
    }
  });

  it('iperf3 server - a port in use rejects with failed, naming the port', async () => {
    const first = await server();
    const error = await startIperfServer({
      port: first.port,
      bindAddress: '127.0.0.1',
      idleTimeoutSeconds: 5,
    }).then(
      () => new Error('expected the second server to fail'),
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProbeError);
    expect(error).toMatchObject({
      tool: 'iperf3',
      code: 'failed',
      detail: 'iperf3: error - unable to start listener for connections: Address already in use',
    });
    expect((error as Error).message).toContain(`could not listen on port ${first.port}`);
  });

  it('iperf3 server - stop() kills it and reports stopped; the pid is gone', async () => {
    const sut = await server();
    await expect(sut.stop()).resolves.toMatchObject({ reason: 'stopped' });
    expect(processExists(sut.pid)).toBe(false);
    // A second stop() is harmless and gives the same exit.
    await expect(sut.stop()).resolves.toMatchObject({ reason: 'stopped' });
  });

  it('iperf3 server - a missing binary gives spawn-failed', async () => {
    await expect(
      startIperfServer({ port: 5201, idleTimeoutSeconds: 2, executable: '/nonexistent/iperf3' }),
    ).rejects.toMatchObject({ code: 'spawn-failed' });
  });
});
