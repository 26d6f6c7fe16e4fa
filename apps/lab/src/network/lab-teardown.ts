import { removeCgroupDir } from './cpu-cgroup.js';
import { killNetns, namespaceInode } from './namespace-pids.js';
import { isGone, runCommand } from './run-command.js';
import type { LabResource } from './run-registry.js';

/** Processes still inside a namespace at teardown get this long to exit after SIGTERM. */
export const NAMESPACE_KILL_GRACE_MS = 1000;
/** `ip` calls at once: enough to hide their startup, few enough for two cores. */
const PARALLEL_COMMANDS = 4;

export interface TeardownOutcome {
  readonly removed: LabResource[];
  readonly problems: string[];
}

/**
 * Removes lab resources in the only order that works: processes out of the namespaces
 * first (a namespace with processes outlives `ip netns del`, and so does its veth), then
 * the cgroups (empty by then), the namespaces, a second look for processes that slipped
 * in, the veths, and the bridges last. Never throws; what it could not remove comes back
 * as problems.
 */
export async function removeResources(
  resources: readonly LabResource[],
  onRemoved: (resource: LabResource) => void = () => undefined,
): Promise<TeardownOutcome> {
  const removed: LabResource[] = [];
  const problems: string[] = [];
  const done = (resource: LabResource) => {
    removed.push(resource);
    onRemoved(resource);
  };
  const namespaces = resources.filter((resource) => resource.kind === 'netns');
  const cgroups = resources.filter((resource) => resource.kind === 'cgroup');
  const links = resources.filter((resource) => resource.kind === 'link');
  const bridges = links.filter((link) => link.name.endsWith('-br'));
  const veths = links.filter((link) => !link.name.endsWith('-br'));

  // Inodes first: they still find the processes after the names are gone.
  const inodes = new Map<string, number>();
  await forEachLimited(namespaces, PARALLEL_COMMANDS, async (namespace) => {
    try {
      const inode = await namespaceInode(namespace.name);
      if (inode === null) return;
      inodes.set(namespace.name, inode);
      const left = await killNetns(inode, NAMESPACE_KILL_GRACE_MS);
      if (left.length > 0) {
        problems.push(`netns ${namespace.name}: pids ${left.join(', ')} would not exit`);
      }
    } catch (error) {
      problems.push(`netns ${namespace.name}: listing its processes: ${message(error)}`);
    }
  });
  for (const cgroup of cgroups) {
    const problem = await removeCgroupDir(cgroup.path);
    if (problem) problems.push(problem);
    else done(cgroup);
  }
  await forEachLimited(namespaces, PARALLEL_COMMANDS, async (namespace) => {
    if (await deleted('ip', ['netns', 'del', namespace.name], problems)) done(namespace);
  });
  // A process that was entering a namespace while the first pass looked (`ip netns exec`
  // between fork and setns) is inside now; without this pass it would keep the deleted
  // namespace, and the veth in it, alive.
  await forEachLimited([...inodes], PARALLEL_COMMANDS, async ([name, inode]) => {
    const left = await killNetns(inode, 0).catch((error: unknown) => [message(error)]);
    if (left.length > 0)
      problems.push(`netns ${name}: ${left.join(', ')} still inside after deletion`);
  });
  for (const group of [veths, bridges]) {
    await forEachLimited(group, PARALLEL_COMMANDS, async (link) => {
      if (await deleted('ip', ['link', 'del', 'dev', link.name], problems)) done(link);
    });
  }
  return { removed, problems };
}

export function describeResource(resource: LabResource): string {
  return resource.kind === 'cgroup'
    ? `cgroup ${resource.path}`
    : `${resource.kind} ${resource.name}`;
}

/** Runs a delete; "already gone" counts as deleted. */
async function deleted(file: string, args: string[], problems: string[]): Promise<boolean> {
  try {
    await runCommand(file, args);
    return true;
  } catch (error) {
    if (isGone(error)) return true;
    problems.push(message(error));
    return false;
  }
}

export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
