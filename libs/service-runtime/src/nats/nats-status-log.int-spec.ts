import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { freePort, ownNatsServer } from '../testing/own-nats-server.js';
import { logNatsStatus } from './nats-status-log.js';

// A NATS server of the test's own, so that stopping it disturbs nobody else.
jest.setTimeout(30_000);

const servers: ChildProcess[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.kill('SIGKILL');
});

async function natsOn(port: number): Promise<ChildProcess> {
  const server = ownNatsServer(port);
  servers.push(server);
  return server;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe(logNatsStatus.name, () => {
  it('nats status log - one line when the connection is lost and one when it is back', async () => {
    const port = await freePort();
    const first = await natsOn(port);
    let connection;
    for (let attempt = 0; !connection && attempt < 100; attempt += 1) {
      connection = await connect({
        servers: `nats://127.0.0.1:${port}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 100,
      }).catch(async () => {
        await sleep(100);
        return undefined;
      });
    }
    const lines: string[] = [];
    void logNatsStatus(connection!, 'meshmon-test', (line) => lines.push(line));

    first.kill('SIGKILL');
    await until(() => lines.some((line) => line.includes('lost')), 'the "lost" line');
    await natsOn(port);
    await until(() => lines.some((line) => line.includes('back')), 'the "back" line');
    await connection!.close();

    expect(lines).toEqual([
      `meshmon-test: NATS connection to 127.0.0.1:${port} lost; reconnecting`,
      `meshmon-test: NATS connection to 127.0.0.1:${port} back`,
    ]);
  });
});
