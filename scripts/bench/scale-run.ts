/**
 * One large run in a process of its own, so that its wall time and peak memory are its
 * own: CPS with `--nodes` nodes for `--duration` virtual seconds. Prints one JSON line.
 */
import { simulate } from '@meshmon/simulation';

const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};

const nodes = arg('--nodes', 1024);
const durationSeconds = arg('--duration', 7200);
const started = performance.now();
const result = simulate({ algorithm: 'cps', nodes, eventSeconds: 13.45, durationSeconds, seed: 1 });
const wallSeconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    nodes,
    durationSeconds,
    wallSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    measurements: result.measurements,
    messagesSent: result.messagesSent,
    meanConcurrentSessions: result.meanConcurrentSessions,
    conflicts: result.conflicts,
  }),
);
