import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectCgroups, listLabCgroupDirs } from './cpu-cgroup.js';
import { ALIAS_PREFIX, LAB_NAME, runIdOf } from './lab-names.js';
import { describeResource, removeResources } from './lab-teardown.js';
import { runCommand } from './run-command.js';
import { listRuns, type LabResource } from './run-registry.js';

interface Logger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Two passes. First everything that records of dead runs name (a record is written before
 * each resource is made, so this finds all of a crashed run's leftovers). Then a sweep by
 * name for runs whose record is gone too: namespaces and links called `mm<runId>-...`
 * that carry our alias (or belong to a dead record), and empty cgroups of that name. Resources
 * of a run whose owner process is alive are never touched, so two labs can run side by side.
 */
export async function cleanupStaleLabs(stateDir: string, logger: Logger): Promise<string[]> {
  const runs = listRuns(stateDir);
  const live = new Set(runs.filter((run) => run.alive).map((run) => run.data.runId));
  const recordedDead = new Set(runs.filter((run) => !run.alive).map((run) => run.data.runId));
  const removed: string[] = [];
  const note = (resource: LabResource) => removed.push(describeResource(resource));

  for (const run of runs.filter((stale) => !stale.alive)) {
    const outcome = await removeResources(run.data.resources, note);
    for (const problem of outcome.problems) logger.warn(`stale lab ${run.data.runId}: ${problem}`);
    if (outcome.problems.length === 0) rmSync(run.file, { force: true });
  }

  const orphaned = (name: string) => {
    const runId = runIdOf(name);
    return runId !== null && !live.has(runId);
  };
  const ours = (name: string, alias: string | undefined) =>
    alias?.startsWith(ALIAS_PREFIX) === true || recordedDead.has(runIdOf(name) ?? '');
  const sweep: LabResource[] = [];
  for (const namespace of await labNamespaces()) {
    if (orphaned(namespace) && ours(namespace, await loopbackAlias(namespace))) {
      sweep.push({ kind: 'netns', name: namespace });
    }
  }
  for (const link of await labLinks()) {
    if (orphaned(link.name) && ours(link.name, link.alias))
      sweep.push({ kind: 'link', name: link.name });
  }
  // A lab that started while we listed had written its record before making anything, so
  // reading the records again now spares whatever of it we saw: without this, a lab
  // starting beside another could lose its namespaces to the other's clean-up.
  const liveNow = liveRunIds(stateDir);
  const problems = [
    ...(
      await removeResources(
        sweep.filter((resource) => !liveNow.has(runIdOf(resourceName(resource)) ?? '')),
        note,
      )
    ).problems,
  ];
  // A cgroup cannot carry our alias, so by name alone only empty ones go (rmdir cannot hurt
  // anyone). Ours are empty by now: their processes lived in our namespaces, swept above.
  const cgroups: LabResource[] = [];
  for (const path of await labCgroups(logger)) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (liveRunIds(stateDir).has(runIdOf(name) ?? '')) continue;
    if (orphaned(name) && (recordedDead.has(runIdOf(name) ?? '') || (await isEmpty(path)))) {
      cgroups.push({ kind: 'cgroup', path });
    }
  }
  problems.push(...(await removeResources(cgroups, note)).problems);
  for (const problem of problems) logger.warn(`stale lab leftovers: ${problem}`);
  if (removed.length > 0)
    logger.log(`removed leftovers of earlier lab runs: ${removed.join(', ')}`);
  return removed;
}

async function labNamespaces(): Promise<string[]> {
  const listed = JSON.parse((await runCommand('ip', ['-j', 'netns', 'list'])) || '[]') as {
    name: string;
  }[];
  return listed.map((namespace) => namespace.name).filter((name) => LAB_NAME.test(name));
}

async function loopbackAlias(namespace: string): Promise<string | undefined> {
  try {
    const [lo] = JSON.parse(
      await runCommand('ip', ['-n', namespace, '-j', 'link', 'show', 'dev', 'lo']),
    ) as {
      ifalias?: string;
    }[];
    return lo?.ifalias;
  } catch {
    // A namespace half torn down (no lo to read) is judged by its record alone.
    return undefined;
  }
}

async function labLinks(): Promise<{ name: string; alias: string | undefined }[]> {
  const links = JSON.parse((await runCommand('ip', ['-j', 'link', 'show'])) || '[]') as {
    ifname: string;
    ifalias?: string;
  }[];
  return links
    .filter((link) => LAB_NAME.test(link.ifname))
    .map((link) => ({ name: link.ifname, alias: link.ifalias }));
}

async function isEmpty(cgroup: string): Promise<boolean> {
  try {
    return (await readFile(join(cgroup, 'cgroup.procs'), 'utf8')).trim() === '';
  } catch {
    return false;
  }
}

async function labCgroups(logger: Logger): Promise<string[]> {
  try {
    return await listLabCgroupDirs(await detectCgroups(), LAB_NAME);
  } catch (error) {
    logger.warn(
      `cannot look for stale lab cgroups: ${error instanceof Error ? error.message : String(error)}`,
    );
    return [];
  }
}

function liveRunIds(stateDir: string): Set<string> {
  return new Set(
    listRuns(stateDir)
      .filter((run) => run.alive)
      .map((run) => run.data.runId),
  );
}

function resourceName(resource: LabResource): string {
  return resource.kind === 'cgroup'
    ? resource.path.slice(resource.path.lastIndexOf('/') + 1)
    : resource.name;
}
