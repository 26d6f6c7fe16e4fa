import { readdir, readlink, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 50;

/** The inode that identifies the namespace `/run/netns/<namespace>`, or null if there is none. */
export async function namespaceInode(namespace: string): Promise<number | null> {
  try {
    return (await stat(`/run/netns/${namespace}`)).ino;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The network namespace of a process as `net:[<inode>]`, or null once it is gone or a zombie. */
export async function netnsOf(pid: number): Promise<string | null> {
  try {
    return await readlink(`/proc/${pid}/ns/net`);
  } catch (error) {
    if (['ENOENT', 'ESRCH', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) {
      return null;
    }
    throw error;
  }
}

/**
 * The processes in the network namespace with this inode: what `ip netns pids` prints, read
 * from /proc directly so that tearing down thirty namespaces does not spawn thirty `ip`
 * processes, and usable after `ip netns del` too (the inode outlives the name).
 */
export async function pidsInNetns(inode: number): Promise<number[]> {
  const wanted = `net:[${inode}]`;
  const entries = (await readdir('/proc')).filter(
    (entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid,
  );
  const inside = await Promise.all(
    entries.map(async (entry) =>
      (await netnsOf(Number(entry))) === wanted ? Number(entry) : null,
    ),
  );
  return inside.filter((pid): pid is number => pid !== null).sort((a, b) => a - b);
}

/**
 * SIGTERM to everything in the namespace, SIGKILL to what is left after `graceMs`, then
 * waits (at most another second) until nothing is left. Returns the pids that would not go.
 */
export async function killNetns(inode: number, graceMs: number): Promise<number[]> {
  let pids = await pidsInNetns(inode);
  if (pids.length === 0) return [];
  signalAll(pids, 'SIGTERM');
  pids = await waitForExit(inode, graceMs);
  if (pids.length === 0) return [];
  signalAll(pids, 'SIGKILL');
  return waitForExit(inode, 1000);
}

async function waitForExit(inode: number, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let pids = await pidsInNetns(inode);
  while (pids.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    pids = await pidsInNetns(inode);
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
