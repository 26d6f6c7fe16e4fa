import { argv, run } from './run-command.js';

/**
 * How long a node may take to answer before it counts as unreachable: a bound, not a cure.
 * A healthy link answers the first ping within milliseconds. The CI failures once blamed on
 * a busy machine were the bridge changing its MAC under the nodes' ARP caches (fixed in
 * LabNetwork.createBridge); a longer wait would only have hidden them.
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
