import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { natsEndpoint, natsUrlOf } from './nats/connect-nats.js';

type Env = Readonly<Record<string, string | undefined>>;

/** MESHMON_ADDRESS=auto found no address (NATS's name did not resolve, no route). */
export class AddressUnresolvedError extends Error {
  override readonly name = 'AddressUnresolvedError';
}

/**
 * `MESHMON_ADDRESS=auto`, for orchestrators that cannot pass a node's address (a Swarm
 * global service knows its host name, not its IP): the address this node uses to reach
 * NATS, i.e. the source address the kernel picks for that route. Connecting a UDP socket
 * only selects the route; no packet is sent. On the host network that is the node's
 * address, on an overlay the container's. Any other value is returned unchanged.
 */
export async function resolveAutoAddress(env: Env): Promise<Env> {
  if (env.MESHMON_ADDRESS?.trim() !== 'auto') return env;
  const natsUrl = natsUrlOf(env);
  let host = '';
  try {
    const endpoint = natsEndpoint(natsUrl);
    host = endpoint.host;
    const { address: natsAddress } = await lookup(host, { family: 4 });
    const address = await sourceAddressTowards(natsAddress, endpoint.port);
    return { ...env, MESHMON_ADDRESS: address };
  } catch (error) {
    throw new AddressUnresolvedError(
      `auto: no IPv4 route to NATS at "${host || natsUrl}" (${(error as Error).message}); ` +
        'set MESHMON_ADDRESS to the node address or fix MESHMON_NATS_URL',
      { cause: error },
    );
  }
}

function sourceAddressTowards(address: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.connect(port, address, () => {
      const local = socket.address().address;
      socket.close();
      resolve(local);
    });
  });
}
