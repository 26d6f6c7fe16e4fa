import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Namespaces, links and cgroups belong to the whole machine, not to a checkout, so the
 * record of who made them lives in one machine-wide place. /run is a tmpfs: it is emptied
 * by a reboot exactly when namespaces and links vanish, so a record never outlives what it
 * describes.
 */
export const DEFAULT_STATE_DIR = '/run/meshmon-lab';

export type LabResource =
  | { readonly kind: 'netns'; readonly name: string }
  | { readonly kind: 'link'; readonly name: string }
  | { readonly kind: 'cgroup'; readonly path: string };

export interface RunRecordData {
  readonly runId: string;
  readonly pid: number;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat), against pid reuse. */
  readonly startTicks: number | null;
  readonly subnet: string | null;
  readonly resources: LabResource[];
}

/** What a run owns, kept on disk before each resource is made and after each is removed. */
export class RunRecord {
  private constructor(
    readonly file: string,
    private data: RunRecordData,
  ) {}

  /**
   * Claims `runId` for this process. Throws when a live process holds it; a dead owner's
   * record is handed back in `stale` for the caller to clean up first.
   */
  static claim(
    stateDir: string,
    runId: string,
  ): { record: RunRecord; stale: RunRecordData | null } {
    mkdirSync(stateDir, { recursive: true });
    const file = join(stateDir, `${runId}.json`);
    const previous = readRecord(file);
    if (previous && previous.pid !== process.pid && isAlive(previous)) {
      throw new Error(
        `runId "${runId}" is in use by the lab running as pid ${previous.pid}; pick another`,
      );
    }
    const record = new RunRecord(file, {
      runId,
      pid: process.pid,
      startTicks: processStartTicks(process.pid),
      subnet: null,
      resources: [],
    });
    const stale = previous && previous.pid !== process.pid ? previous : null;
    record.save();
    return { record, stale };
  }

  get resources(): readonly LabResource[] {
    return this.data.resources;
  }

  setSubnet(subnet: string): void {
    this.data = { ...this.data, subnet };
    this.save();
  }

  add(resource: LabResource): void {
    this.data = { ...this.data, resources: [...this.data.resources, resource] };
    this.save();
  }

  remove(resource: LabResource): void {
    const key = resourceKey(resource);
    this.data = {
      ...this.data,
      resources: this.data.resources.filter((kept) => resourceKey(kept) !== key),
    };
    this.save();
  }

  delete(): void {
    rmSync(this.file, { force: true });
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a record. */
  private save(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.data));
    renameSync(temporary, this.file);
  }
}

export interface StoredRun {
  readonly file: string;
  readonly data: RunRecordData;
  readonly alive: boolean;
}

/** Every record in `stateDir`, unreadable ones included as dead runs without resources. */
export function listRuns(stateDir: string): StoredRun[] {
  let files: string[];
  try {
    files = readdirSync(stateDir).filter((file) => file.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.map((name) => {
    const file = join(stateDir, name);
    const data = readRecord(file) ?? {
      runId: name.replace(/\.json$/, ''),
      pid: 0,
      startTicks: null,
      subnet: null,
      resources: [],
    };
    return { file, data, alive: data.pid > 0 && isAlive(data) };
  });
}

export function resourceKey(resource: LabResource): string {
  return resource.kind === 'cgroup'
    ? `cgroup:${resource.path}`
    : `${resource.kind}:${resource.name}`;
}

/**
 * Parses a record leniently: older lab versions wrote only `{ pid, bridge }`, and a record
 * that cannot be read at all must still let its run be cleaned up by name.
 */
function readRecord(file: string): RunRecordData | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const value = raw as Partial<RunRecordData> & { bridge?: unknown };
  const resources = Array.isArray(value.resources) ? value.resources.filter(isResource) : [];
  if (typeof value.bridge === 'string') resources.push({ kind: 'link', name: value.bridge });
  return {
    runId: typeof value.runId === 'string' ? value.runId : file.replace(/^.*\/|\.json$/g, ''),
    pid: typeof value.pid === 'number' ? value.pid : 0,
    startTicks: typeof value.startTicks === 'number' ? value.startTicks : null,
    subnet: typeof value.subnet === 'string' ? value.subnet : null,
    resources,
  };
}

function isResource(value: unknown): value is LabResource {
  if (typeof value !== 'object' || value === null) return false;
  const resource = value as Record<string, unknown>;
  if (resource.kind === 'cgroup') return typeof resource.path === 'string';
  return (
    (resource.kind === 'netns' || resource.kind === 'link') && typeof resource.name === 'string'
  );
}

function isAlive(data: RunRecordData): boolean {
  const ticks = processStartTicks(data.pid);
  if (ticks === null) return false;
  return data.startTicks === null || data.startTicks === ticks;
}

/**
 * Field 22 of /proc/<pid>/stat, or null when there is no such process or it is a zombie
 * (a dead lab whose parent has not reaped it owns nothing any more). The command name
 * before the fields may contain spaces and ')'.
 */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}
