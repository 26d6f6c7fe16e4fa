import type { NetFigures } from '@meshmon/contracts';

/** Traffic of a network namespace, summed over its interfaces (the samples' contract). */
export type NetCounters = Omit<NetFigures, 'namespace'>;

/** The inode in a `/proc/<pid>/ns/net` link (`net:[4026531833]`), or null. */
export function netNamespaceId(link: string | null): number | null {
  const match = /^net:\[(\d+)\]$/.exec(link ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Sums `/proc/net/dev` over every interface but `lo`: what left or reached the network
 * namespace. Loopback is left out because it is traffic that never leaves the node, and
 * under host networking it holds every local process's traffic, not the service's.
 * A line that does not parse is skipped and named in `skipped`, not guessed at.
 */
export function parseNetDev(text: string): { counters: NetCounters; skipped: string[] } {
  let rxBytes = 0;
  let rxPackets = 0;
  let txBytes = 0;
  let txPackets = 0;
  const skipped: string[] = [];
  // The first two lines are the column headings.
  for (const line of text.split('\n').slice(2)) {
    if (line.trim() === '') continue;
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    const fields = match?.[2].trim().split(/\s+/).map(Number) ?? [];
    if (!match || fields.length < 16 || fields.some((field) => !Number.isFinite(field))) {
      skipped.push(line.trim());
      continue;
    }
    if (match[1] === 'lo') continue;
    // Receive: bytes packets errs drop fifo frame compressed multicast; then transmit.
    rxBytes += fields[0];
    rxPackets += fields[1];
    txBytes += fields[8];
    txPackets += fields[9];
  }
  return { counters: { rxBytes, rxPackets, txBytes, txPackets }, skipped };
}
