/**
 * Size limits of scheduler messages. Far above any cluster Meshmon runs (the simulator
 * goes to 1024 nodes) yet small enough that one message cannot make a receiver validate
 * millions of entries; NATS's 1 MiB payload limit would refuse most of that anyway.
 */
export const MAX_MEMBERS = 4096;
export const MAX_SCOPE_PAIRS = 65_536;
