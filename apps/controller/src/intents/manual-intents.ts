import type { Redis } from 'ioredis';
import { isNodeName, type NodePair } from '@meshmon/contracts';

/**
 * The hand-made intents as the gateway keeps them: a Redis hash, field `<monitor>:<sensor>`.
 * Read at start; afterwards `control.intents` carries the whole list. A malformed field
 * (not written by the gateway) is skipped and reported, never trusted.
 */
export async function readManualIntents(
  redis: Redis,
  key: string,
): Promise<{ pairs: NodePair[]; skipped: string[] }> {
  const fields = await redis.hkeys(key);
  const pairs: NodePair[] = [];
  const skipped: string[] = [];
  for (const field of fields) {
    const [monitor, sensor, extra] = field.split(':');
    if (extra === undefined && isNodeName(monitor) && isNodeName(sensor) && monitor !== sensor)
      pairs.push([monitor, sensor]);
    else skipped.push(field);
  }
  return { pairs, skipped };
}
