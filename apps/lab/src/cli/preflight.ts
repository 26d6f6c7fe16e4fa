import { execFileSync } from 'node:child_process';
import { freemem } from 'node:os';
import { UsageError } from '@meshmon/service-runtime';

/** What one node costs: three Node.js services (~70-90 MB each) plus headroom for iperf3. */
const MEMORY_PER_NODE_BYTES = 350 * 1024 * 1024;

const TOOLS: readonly { command: string; args: string[]; package: string }[] = [
  { command: 'ip', args: ['-V'], package: 'iproute2' },
  { command: 'tc', args: ['-V'], package: 'iproute2' },
  { command: 'iperf3', args: ['--version'], package: 'iperf3' },
  { command: 'ping', args: ['-V'], package: 'iputils-ping' },
  { command: 'nats-server', args: ['--version'], package: 'nats-server' },
  { command: 'redis-server', args: ['--version'], package: 'redis-server' },
  { command: 'stress-ng', args: ['--version'], package: 'stress-ng' },
];

/**
 * Everything the lab needs that a flag check cannot see: root (for namespaces), the
 * Debian tools, and memory for the node count. Fails before anything is created.
 */
export function preflight(nodes: number): void {
  if (process.getuid?.() !== 0) {
    throw new UsageError(
      'lab',
      'must run as root: it creates network namespaces and shapes links with tc',
    );
  }
  const missing = TOOLS.filter((tool) => {
    try {
      execFileSync(tool.command, tool.args, { stdio: 'ignore', timeout: 5000 });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((tool) => tool.package))].join(' ');
    throw new UsageError(
      'lab',
      `needs ${missing.map((tool) => tool.command).join(', ')}: install with bash infra/local/install.sh (Debian packages: ${packages})`,
    );
  }
  const hostable = Math.floor(freemem() / MEMORY_PER_NODE_BYTES);
  if (nodes > hostable) {
    throw new UsageError(
      '--nodes',
      `${nodes} nodes need about ${Math.round((nodes * MEMORY_PER_NODE_BYTES) / 2 ** 20)} MiB, this machine has ${Math.round(freemem() / 2 ** 20)} MiB free: at most ${hostable} nodes`,
    );
  }
}
