/** A `Name:   1234 kB` line of `/proc/<pid>/status` in bytes, or null when missing. */
function kilobytes(procStatus: string | null, name: string): number | null {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(procStatus ?? '');
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * The anonymous part of a process's resident memory (`RssAnon`): what its cgroup charges
 * as anon, so the two can be compared. Null before Linux 4.5 or off Linux.
 */
export const rssAnonBytes = (procStatus: string | null): number | null =>
  kilobytes(procStatus, 'RssAnon');

/** The whole resident memory (`VmRSS`); null for a kernel thread or an exited process. */
export const vmRssBytes = (procStatus: string | null): number | null =>
  kilobytes(procStatus, 'VmRSS');
