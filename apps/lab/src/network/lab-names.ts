/**
 * Names of everything a lab run creates. All start with `mm<runId>-`, so two runs never
 * collide and a later run can tell whose leftovers it sees. Interface names must fit
 * IFNAMSIZ (15 characters): `mm` + 6 + `-h` + 5 digits is exactly 15.
 */
export const RUN_ID = /^[a-z0-9]{1,6}$/;
/** Node names as the contracts allow them. */
export { NODE_NAME_PATTERN as NODE_NAME } from '@meshmon/contracts';
/** Matches any lab name; group 1 is the run id. */
export const LAB_NAME = /^mm([a-z0-9]{1,6})-/;
/**
 * Set as the alias of our links and of each namespace's loopback, so a sweep by name never
 * takes a link or namespace that only happens to be called `mm...-`.
 */
export const ALIAS_PREFIX = 'meshmon-lab:';
export const MAX_INTERFACE_NAME = 15;

export function namespaceName(runId: string, node: string): string {
  return `mm${runId}-${node}`;
}

export function bridgeName(runId: string): string {
  return `mm${runId}-br`;
}

/** The root-namespace end of a node's veth pair; the other end is `eth0` in the namespace. */
export function hostVethName(runId: string, hostIndex: number): string {
  return `mm${runId}-h${hostIndex}`;
}

export function runIdOf(name: string): string | null {
  return LAB_NAME.exec(name)?.[1] ?? null;
}
