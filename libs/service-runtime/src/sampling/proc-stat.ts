/** /proc/<pid>/stat counts CPU time in USER_HZ: 100 per second on every Linux in use. */
export const USER_HZ = 100;

export interface ProcStat {
  readonly ppid: number;
  /** CPU time in USER_HZ ticks. */
  readonly userTicks: number;
  readonly systemTicks: number;
  /** Start time in ticks since boot: a reused pid is another process. */
  readonly startTicks: number;
}

/**
 * The fields Meshmon reads from `/proc/<pid>/stat`. The command name in parentheses may
 * hold spaces and parentheses itself, so the fields are counted from its last `)`.
 */
export function parseProcStat(text: string | null): ProcStat | null {
  const close = text?.lastIndexOf(')') ?? -1;
  if (text === null || close < 0) return null;
  // After comm: field 3 (state) first; ppid is field 4, utime 14, stime 15, starttime 22.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const [ppid, userTicks, systemTicks, startTicks] = [1, 11, 12, 19].map((i) => Number(fields[i]));
  return [ppid, userTicks, systemTicks, startTicks].every(Number.isFinite)
    ? { ppid, userTicks, systemTicks, startTicks }
    : null;
}
