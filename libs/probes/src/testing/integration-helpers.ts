import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A random port in 20000..39999 that is free for TCP and UDP right now. Test files run in
 * parallel, so each picks its own; a port taken in between is retried by the caller's test
 * failing loudly with "could not listen on port N", not silently.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if ((await tcpFree(port)) && (await udpFree(port))) return port;
  }
  throw new Error('no free port in 20000..39999 after 50 tries');
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '::', ipv6Only: false }, () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp6', ipv6Only: false });
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '::', () => socket.close(() => resolve(true)));
  });
}

/** True while a process with this pid exists (a zombie counts: it has not been reaped). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Polls until `condition` holds, failing with `what` after the deadline. */
export async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
