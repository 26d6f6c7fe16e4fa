/**
 * The wire version of every Meshmon contract. It appears twice on purpose: in each subject
 * (`meshmon.<cluster>.v1.…`) so that a v2 service never even receives v1 traffic, and as
 * `v: 1` in each body so that a misrouted or replayed message is still recognised.
 */
export const CONTRACT_VERSION = 1;
export type ContractVersion = typeof CONTRACT_VERSION;
