import { argv, run } from './run-command.js';

/**
 * How long a node may take to answer before it counts as unreachable. One ping with a 2 s
 * wait once failed in CI while two labs, iperf3 and the service tests shared the 2 cores:
 * a busy machine delays softirq work by seconds, which is not the same as a broken link.
 */
export const REACHABLE_WITHIN_SECONDS = 10;

/**
 * Resolves at the first echo reply from `address`, seen from inside `namespace`; rejects
 * with a CommandError when none came within `seconds`. Pings every 0.2 s until then
 * (`-c 1 -w`: one reply ends it), so a healthy link costs milliseconds and a dead one at
 * most `seconds / 0.2` packets.
 */
export async function awaitEchoReply(
  namespace: string,
  address: string,
  seconds = REACHABLE_WITHIN_SECONDS,
): Promise<void> {
  const deadline = String(seconds);
  await run(
    argv`ip netns exec ${namespace} ping -c 1 -i 0.2 -w ${deadline} -q ${address}`,
    (seconds + 5) * 1000,
  );
}
