import type { NatsConnection, Status } from '@nats-io/transport-node';

/**
 * One line per change of a NATS connection's state that an operator needs to see: lost,
 * back, a slow consumer (messages dropped for a subscription that fell behind), a stale
 * connection, a server error. Retries and pings are not logged: only their outcome.
 */
export function describeNatsStatus(status: Status): string | null {
  switch (status.type) {
    case 'disconnect':
      return `NATS connection to ${status.server} lost; reconnecting`;
    case 'reconnect':
      return `NATS connection to ${status.server} back`;
    case 'slowConsumer':
      return `NATS slow consumer on ${status.sub.getSubject()}: ${status.pending} messages pending, newer ones dropped`;
    case 'staleConnection':
      return 'NATS connection stale (no answer to pings); reconnecting';
    case 'error':
      return `NATS server error: ${status.error.message}`;
    case 'ldm':
      return `NATS server ${status.server} is entering lame duck mode`;
    default:
      return null;
  }
}

/** Writes `describeNatsStatus` lines, prefixed with the connection's name, until it closes. */
export async function logNatsStatus(
  connection: NatsConnection,
  name: string,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  for await (const status of connection.status()) {
    const line = describeNatsStatus(status);
    if (line) write(`${name}: ${line}`);
  }
}
