import { startBackground } from '../e2e/commands.js';
import { E2eFailure } from '../e2e/e2e-report.js';

/** The local port of kubectl's `Forwarding from 127.0.0.1:PORT -> TARGET`, or null. */
export function forwardedPort(output: string): number | null {
  const match = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(output);
  return match ? Number(match[1]) : null;
}

/**
 * `kubectl port-forward svc/<service> :<port>`: a local port of kubectl's choosing to the
 * service inside the cluster, so the checks reach the gateway and InfluxDB from outside
 * without a LoadBalancer or an Ingress. Resolves with the local URL once kubectl listens.
 */
export function portForward(
  namespace: string,
  service: string,
  port: number,
  timeoutMs = 30_000,
): Promise<{ url: string; stop(): void }> {
  const forward = startBackground(process.env.MESHMON_KUBECTL ?? 'kubectl', [
    '-n',
    namespace,
    'port-forward',
    `svc/${service}`,
    `:${port}`,
  ]);
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      forward.stop();
      reject(
        new E2eFailure(`port-forward to ${service}:${port}: ${why}: ${output.trim().slice(-500)}`),
      );
    };
    const timer = setTimeout(() => fail(`no local port within ${timeoutMs / 1000} s`), timeoutMs);
    let found = false;
    // Only until the port is known: kubectl goes on printing a line per connection.
    const keep = (chunk: Buffer) => {
      if (!found) output = (output + chunk.toString()).slice(-4000);
    };
    const onData = (chunk: Buffer) => {
      keep(chunk);
      const local = found ? null : forwardedPort(output);
      if (local === null) return;
      found = true;
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${local}`, stop: forward.stop });
    };
    forward.child.stdout?.on('data', onData);
    forward.child.stderr?.on('data', keep);
    forward.child.once('error', (error) => fail(`kubectl could not start (${error.message})`));
    forward.child.once('exit', (code) => fail(`kubectl exited with ${code}`));
  });
}
