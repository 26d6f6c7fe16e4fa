// Called by infra/local/start.sh once the servers answer: do they know this checkout's
// logins (.infra/credentials)? A server reused from another checkout has that checkout's
// users, and every test here would then be refused; this says so, and what to do, at once.
// Exit 0 when both logins work (or the server has no users at all), 2 otherwise.
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { influxAuthorization } from '@meshmon/influx-store';
import {
  developerInfluxLogin,
  developerNatsLogin,
  developerRedisLogin,
  localCredentials,
} from '@meshmon/service-runtime/credentials/local-logins.js';

const natsUrl = process.env.MESHMON_NATS_URL ?? 'nats://127.0.0.1:4222';
const redisUrl = process.env.MESHMON_REDIS_URL ?? 'redis://127.0.0.1:6379';
const influxUrl = process.env.MESHMON_INFLUX_URL ?? 'http://127.0.0.1:8086';
const credentials = localCredentials();
const problems: string[] = [];

try {
  const nats = await connect({ servers: natsUrl, reconnect: false, ...developerNatsLogin() });
  await nats.close();
} catch (error) {
  problems.push(`NATS at ${natsUrl} refused the developer's login (${(error as Error).message})`);
}
const redis = new Redis(redisUrl, {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
  ...developerRedisLogin(),
});
// The refusal itself (WRONGPASS) arrives as an error event; the connect then only says closed.
let refusal: string | null = null;
redis.on('error', (error: Error) => (refusal ??= error.message));
try {
  await redis.connect();
  await redis.ping();
} catch (error) {
  const why = refusal ?? (error as Error).message;
  problems.push(`Redis at ${redisUrl} refused the developer's login (${why})`);
} finally {
  redis.disconnect();
}
const influx = developerInfluxLogin(credentials);
try {
  const answer = await fetch(`${influxUrl}/query?q=${encodeURIComponent('SHOW DATABASES')}`, {
    headers: influx
      ? {
          authorization: influxAuthorization(influx),
        }
      : {},
    signal: AbortSignal.timeout(5000),
  });
  if (answer.status !== 200)
    throw new Error(`HTTP ${answer.status} ${(await answer.text()).trim()}`);
} catch (error) {
  problems.push(
    `InfluxDB at ${influxUrl} refused the developer's login (${(error as Error).message})`,
  );
}
if (problems.length > 0) {
  console.error(
    `infra: ${problems.join('; ')}. The server was started from another checkout or with other users than ${credentials?.folder ?? '.infra/credentials'}: stop it (bash infra/local/stop.sh in that checkout, or kill it), then run bash infra/local/start.sh here.`,
  );
  process.exit(2);
}
