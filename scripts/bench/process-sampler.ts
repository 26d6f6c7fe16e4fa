import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

interface Sample {
  readonly cpuTicks: number;
  readonly rssBytes: number;
}

function sample(pid: number): Sample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuTicks, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

export interface ProcessFigures {
  readonly key: string;
  /** Share of one core over the sampled window, in percent. */
  readonly cpuPercent: number;
  readonly maxRssBytes: number;
}

/**
 * CPU and resident memory of a set of processes, from /proc: CPU as time used over the
 * whole window, memory as the largest resident size seen at any sample.
 */
export class ProcessSampler {
  private readonly first = new Map<string, { pid: number; at: number; sample: Sample }>();
  private readonly last = new Map<string, { at: number; sample: Sample }>();
  private readonly maxRss = new Map<string, number>();

  constructor(private readonly processes: () => readonly { key: string; pid: number }[]) {}

  tick(): void {
    const now = Date.now();
    for (const { key, pid } of this.processes()) {
      const current = sample(pid);
      if (!current) continue;
      if (!this.first.has(key) || this.first.get(key)!.pid !== pid)
        this.first.set(key, { pid, at: now, sample: current });
      this.last.set(key, { at: now, sample: current });
      this.maxRss.set(key, Math.max(this.maxRss.get(key) ?? 0, current.rssBytes));
    }
  }

  figures(): ProcessFigures[] {
    const out: ProcessFigures[] = [];
    for (const [key, first] of this.first) {
      const last = this.last.get(key)!;
      const seconds = (last.at - first.at) / 1000;
      if (seconds <= 0) continue;
      const cpuSeconds = (last.sample.cpuTicks - first.sample.cpuTicks) / TICKS_PER_SECOND;
      out.push({
        key,
        cpuPercent: (100 * cpuSeconds) / seconds,
        maxRssBytes: this.maxRss.get(key) ?? 0,
      });
    }
    return out;
  }
}
