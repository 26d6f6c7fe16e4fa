import { readdir, readlink, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 50;

/**
 * The processes whose network namespace is `/run/netns/<namespace>`: what `ip netns pids`
 * prints, read from /proc directly so that tearing down thirty namespaces does not spawn
 * thirty `ip` processes. Zombies have no readable namespace link and are not listed.
 */
export async function pidsInNamespace(namespace: string): Promise<number[]> {
  let inode: number;
  try {
    inode = (await stat(`/run/netns/${namespace}`)).ino;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const wanted = `net:[${inode}]`;
  const entries = await readdir('/proc');
  const pids: number[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
      .map(async (entry) => {
        try {
          if ((await readlink(`/proc/${entry}/ns/net`)) === wanted) pids.push(Number(entry));
        } catch (error) {
          // The process exited between readdir and readlink, or is a zombie: not inside.
          if (
            !['ENOENT', 'ESRCH', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')
          ) {
            throw error;
          }
        }
      }),
  );
  return pids.sort((a, b) => a - b);
}

/**
 * SIGTERM to everything inside, SIGKILL to what is left after `graceMs`, then waits (at most
 * another second) until nothing is left. Returns the pids that still would not go.
 */
export async function killNamespaceProcesses(
  namespace: string,
  graceMs: number,
): Promise<number[]> {
  let pids = await pidsInNamespace(namespace);
  if (pids.length === 0) return [];
  signalAll(pids, 'SIGTERM');
  pids = await waitForExit(namespace, graceMs);
  if (pids.length === 0) return [];
  signalAll(pids, 'SIGKILL');
  return waitForExit(namespace, 1000);
}

async function waitForExit(namespace: string, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let pids = await pidsInNamespace(namespace);
  while (pids.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    pids = await pidsInNamespace(namespace);
  }
  return pids;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}
