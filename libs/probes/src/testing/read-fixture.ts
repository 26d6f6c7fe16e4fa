import { readFileSync } from 'node:fs';

/**
 * Output captured from iperf3 3.12 and iputils ping 20221126 on the development machine.
 * The JSON files end in .txt so that prettier leaves iperf3's bytes (tabs and all) alone.
 */
export function readFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}
