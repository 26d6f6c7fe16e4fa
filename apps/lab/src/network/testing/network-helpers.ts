import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../run-command.js';

/** Namespaces, veths and cgroups need root; these tests are skipped without it. */
export const isRoot = process.getuid?.() === 0;

/** A fresh run id per test: `t` + 5 random characters of [a-z0-9]. */
export function testRunId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `t${[...randomBytes(5)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

export function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'meshmon-network-'));
}

/** Everything in the root namespace whose name starts with `mm<runId>-`, sorted. */
export async function leftovers(runId: string): Promise<string[]> {
  const [namespaces, links] = await Promise.all([
    runCommand('ip', ['netns', 'list']),
    runCommand('ip', ['-o', 'link', 'show']),
  ]);
  const prefix = `mm${runId}-`;
  return [
    ...namespaces
      .split('\n')
      .map((line) => line.split(' ')[0])
      .filter((name) => name.startsWith(prefix))
      .map((name) => `netns ${name}`),
    ...links
      .split('\n')
      .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1])
      .filter((name): name is string => name?.startsWith(prefix) === true)
      .map((name) => `link ${name}`),
  ].sort();
}

/** TCP throughput in bit/s from `iperf3 -c` in one namespace to a server in another. */
export async function iperfBits(
  fromNamespace: string,
  toAddress: string,
  port: number,
  seconds: number,
): Promise<number> {
  const output = await runCommand(
    'ip',
    [
      'netns',
      'exec',
      fromNamespace,
      'iperf3',
      '-c',
      toAddress,
      '-p',
      String(port),
      '-t',
      String(seconds),
      '-J',
    ],
    (seconds + 10) * 1000,
  );
  const result = JSON.parse(output) as { end: { sum_received: { bits_per_second: number } } };
  return result.end.sum_received.bits_per_second;
}

/** Waits (at most `timeoutMs`) until something listens on TCP `port` inside the namespace. */
export async function waitForListener(
  namespace: string,
  port: number,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const listening = await runCommand('ip', [
      'netns',
      'exec',
      namespace,
      'ss',
      '-ltnH',
      `sport = :${port}`,
    ]);
    if (listening.includes('LISTEN')) return;
    await sleep(50);
  }
  throw new Error(`nothing listened on port ${port} in ${namespace} within ${timeoutMs} ms`);
}

/**
 * True while the process runs. A zombie counts as gone: a killed grandchild is reparented
 * to pid 1, which on this machine does not always reap it.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
