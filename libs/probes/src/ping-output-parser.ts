import { ProbeError } from './probe-error.js';

export interface PingRtt {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  /** Mean deviation, as iputils computes it. */
  readonly mdev: number;
}

export interface PingResult {
  readonly transmitted: number;
  readonly received: number;
  readonly lossPercent: number;
  /** Null when no reply came. */
  readonly rttMs: PingRtt | null;
}

// iputils (checked against 20221126) ends with, e.g.:
//   3 packets transmitted, 3 received, 0% packet loss, time 407ms
//   rtt min/avg/max/mdev = 0.016/0.031/0.054/0.016 ms
// and inserts ", +N duplicates", ", +N errors" before the loss when there are any. With no
// reply at all there is no rtt line.
const COUNTS = /^(\d+) packets transmitted, (\d+) received,/m;
const LOSS = /, ([\d.]+)% packet loss/;
const RTT = /^rtt min\/avg\/max\/mdev = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/m;

/** Reads the statistics at the end of iputils `ping` output (with or without `-q`). */
export function parsePingOutput(text: string): PingResult {
  const counts = COUNTS.exec(text);
  if (!counts) {
    throw malformed('no "N packets transmitted, M received" statistics line', text);
  }
  const line = text.slice(counts.index).split('\n', 1)[0];
  const loss = LOSS.exec(line);
  if (!loss) throw malformed('the statistics line has no "% packet loss"', line);
  const transmitted = Number(counts[1]);
  const received = Number(counts[2]);
  const lossPercent = Number(loss[1]);
  if (received === 0) return { transmitted, received, lossPercent, rttMs: null };

  const rtt = RTT.exec(text);
  if (!rtt) throw malformed(`${received} replies arrived but there is no rtt line`, text);
  const [min, avg, max, mdev] = rtt.slice(1, 5).map(Number);
  return { transmitted, received, lossPercent, rttMs: { min, avg, max, mdev } };
}

function malformed(message: string, text: string): ProbeError {
  const detail = text.length > 300 ? `${text.slice(-300)}` : text;
  return new ProbeError('ping', 'malformed-output', message, detail);
}
