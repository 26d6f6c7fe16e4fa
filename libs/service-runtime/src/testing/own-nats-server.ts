import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that the kernel just gave out as free. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A NATS server of the test's own on 127.0.0.1, so stopping it disturbs nobody else;
 * `monitorPort` turns on its monitoring endpoint (/connz lists the open connections).
 * The caller kills it.
 */
export function ownNatsServer(port: number, monitorPort?: number): ChildProcess {
  const monitoring = monitorPort === undefined ? [] : ['-m', String(monitorPort)];
  return spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...monitoring], {
    stdio: 'ignore',
  });
}
