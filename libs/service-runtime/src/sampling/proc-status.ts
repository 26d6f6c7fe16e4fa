/**
 * The anonymous part of a process's resident memory, from `/proc/<pid>/status`
 * (`RssAnon:   51200 kB`): what its cgroup charges as anon, so the two can be compared.
 * Null when the line is missing (kernels before 4.5, not Linux).
 */
export function rssAnonBytes(procStatus: string | null): number | null {
  const match = /^RssAnon:\s+(\d+)\s+kB$/m.exec(procStatus ?? '');
  return match ? Number(match[1]) * 1024 : null;
}
