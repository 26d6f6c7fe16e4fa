/**
 * Test helper: a captured fixture's text. The /proc/net files were read on the
 * development machine while real TCP connections (127.0.0.2 -> 127.0.0.3, a dual-stack
 * server reached over 127.0.0.1 and ::1) and connected UDP sockets were open; the
 * conntrack listings are real `conntrack -L` (v1.4.7) output in a throwaway network
 * namespace whose table was filled with `conntrack -I` (the machine has no iptables to
 * make the kernel track real traffic).
 */
import { readFileSync } from 'node:fs';

export function readFixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
