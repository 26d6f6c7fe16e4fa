import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  PROC_NET_FILES,
  parseProcNet,
  type LineProblem,
  type SocketFlow,
} from '@meshmon/discovery';

export interface SocketSnapshot {
  readonly flows: SocketFlow[];
  /** Lines not understood, per file (`tcp6`), and files that could not be read. */
  readonly problems: { readonly file: string; readonly problem: LineProblem }[];
}

/**
 * Reads tcp, tcp6, udp and udp6 under the configured directory. /proc/self/net shows the
 * tables of the namespace this process runs in, which is why the lab starts one flow
 * discovery inside every node's namespace. A missing file is not an error: tcp6 and
 * udp6 are absent when the kernel has no IPv6.
 */
export async function readSockets(directory: string): Promise<SocketSnapshot> {
  const flows: SocketFlow[] = [];
  const problems: { file: string; problem: LineProblem }[] = [];
  const texts = await Promise.all(
    PROC_NET_FILES.map(async (file) => {
      try {
        return { file, text: await readFile(join(directory, file), 'utf8') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, text: '' };
        const rule = `could not be read (${(error as Error).message})`;
        problems.push({ file, problem: { line: 0, field: '(file)', rule } });
        return { file, text: '' };
      }
    }),
  );
  for (const { file, text } of texts) {
    const parsed = parseProcNet(text, file);
    flows.push(...parsed.flows);
    for (const problem of parsed.problems) problems.push({ file, problem });
  }
  return { flows, problems };
}
