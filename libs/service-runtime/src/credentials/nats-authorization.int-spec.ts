import { jest } from '@jest/globals';
import {
  connect,
  type NatsConnection,
  type Status,
  type Subscription,
} from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subjects, inboxPrefixOf, type NatsRole } from '@meshmon/contracts';
import { NatsLoginRefusedError, connectNats, loginOptions } from '../nats/connect-nats.js';
import { ensureResultsStream } from '../nats/results-stream.js';
import { freePort, ownNatsServer } from '../testing/own-nats-server.js';
import {
  NATS_AUTHORIZATION_FILE,
  ensureCredentials,
  type Credentials,
} from './credentials-folder.js';
import { natsLoginAs } from './local-logins.js';
import { newNatsSeed } from './nats-authorization.js';

// A NATS server of the test's own, configured with the generated authorization block.

jest.setTimeout(30_000);

const subjects = new Subjects('auth-test');
let folder: string;
let credentials: Credentials;
let server: ChildProcess;
let url: string;
const open: NatsConnection[] = [];

/** A client logged in as `role`, with the server's errors collected. */
async function as(role: NatsRole): Promise<{ nc: NatsConnection; errors: string[] }> {
  const nc = await connect({
    servers: url,
    name: `test-${role}`,
    ...natsLoginAs(credentials, role),
  });
  open.push(nc);
  const errors: string[] = [];
  void (async () => {
    for await (const status of nc.status() as AsyncIterable<Status>) {
      if (status.type === 'error') errors.push(status.error.message);
    }
  })();
  return { nc, errors };
}

/** What a subscription receives within `ms`, as text. */
async function received(subscription: Subscription, ms = 300): Promise<string[]> {
  const got: string[] = [];
  const timer = setTimeout(() => subscription.unsubscribe(), ms);
  try {
    for await (const message of subscription) got.push(message.string());
  } catch (error) {
    got.push(`error: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return got;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'nats-auth-'));
  credentials = ensureCredentials(join(folder, 'credentials'));
  const config = join(folder, 'credentials', 'nats.conf');
  writeFileSync(
    config,
    `include ./${NATS_AUTHORIZATION_FILE}\njetstream { store_dir: ${JSON.stringify(join(folder, 'js'))} }\n`,
  );
  const port = await freePort();
  url = `nats://127.0.0.1:${port}`;
  server = ownNatsServer(port, { configFile: config });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const probe = await connect({ servers: url, ...natsLoginAs(credentials, 'observer') }).catch(
      () => null,
    );
    if (probe) {
      await probe.close();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test's NATS server did not come up at ${url}`);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((nc) => nc.close().catch(() => undefined)));
});

afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

describe('NATS authorization', () => {
  it('nats auth - a client without a login, or with a seed the server does not know, is refused', async () => {
    await expect(connect({ servers: url, reconnect: false })).rejects.toThrow(
      /Authorization Violation/i,
    );
    await expect(
      connect({ servers: url, reconnect: false, ...loginOptions({ nkeySeed: newNatsSeed() }) }),
    ).rejects.toThrow(/Authorization Violation/i);
  });

  it('nats auth - a service without its login is told at once which setting to give', async () => {
    const started = Date.now();

    const refused = connectNats(url, 'meshmon-sensor-n1', 10_000, { nkeySeed: null });

    await expect(refused).rejects.toThrow(NatsLoginRefusedError);
    await expect(refused).rejects.toThrow(
      `NATS at ${url} refused meshmon-sensor-n1's login; it has no login: set MESHMON_NATS_NKEY_FILE to the file with its nkey seed`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('nats auth - a sensor publishing a result is refused, and no reader sees it', async () => {
    const observer = await as('observer');
    const reader = observer.nc.subscribe(subjects.resultsWildcard);
    await observer.nc.flush();
    const sensor = await as('sensor');

    sensor.nc.publish(subjects.result('n1', 'n2'), 'forged');
    await sensor.nc.flush();

    expect(await received(reader)).toEqual([]);
    expect(sensor.errors.join('\n')).toMatch(
      /Permissions Violation for Publish to "?meshmon\.auth-test\.v1\.results\.n1\.n2/,
    );
  });

  it('nats auth - only the gateway’s scheduler control reaches the node modules', async () => {
    const controller = await as('controller');
    const heard = controller.nc.subscribe(subjects.schedulerControl);
    await controller.nc.flush();
    const sensor = await as('sensor');
    const gateway = await as('gateway');

    sensor.nc.publish(subjects.schedulerControl, 'from-sensor');
    gateway.nc.publish(subjects.schedulerControl, 'from-gateway');
    await Promise.all([sensor.nc.flush(), gateway.nc.flush()]);

    expect(await received(heard)).toEqual(['from-gateway']);
    expect(sensor.errors.join('\n')).toMatch(/Permissions Violation for Publish/);
  });

  it('nats auth - a sensor may not listen to the results, nor the observer to a service’s replies', async () => {
    const sensor = await as('sensor');
    const observer = await as('observer');

    const results = sensor.nc.subscribe(subjects.resultsWildcard);
    const replies = observer.nc.subscribe(`${inboxPrefixOf('monitor')}.>`);

    expect((await received(results, 1000)).join('\n')).toMatch(
      /Permissions Violation for Subscription/,
    );
    expect((await received(replies, 1000)).join('\n')).toMatch(
      /Permissions Violation for Subscription/,
    );
  });

  it('nats auth - a monitor asks a sensor to start its server and the sensor answers into the monitor’s own inbox', async () => {
    const sensor = await as('sensor');
    sensor.nc.subscribe(subjects.moduleWildcard('n2', 'sensor'), {
      callback: (_error, message) => {
        message.respond('started');
      },
    });
    await sensor.nc.flush();
    const monitor = await as('monitor');

    const answer = await monitor.nc.request(subjects.serverStart('n2'), '{}', { timeout: 2000 });

    expect(answer.string()).toBe('started');
  });

  it('nats auth - results travel by JetStream from a monitor to the sink’s durable consumer and the gateway’s ordered one', async () => {
    const monitor = await as('monitor');
    const stream = await ensureResultsStream(monitor.nc, subjects);
    const ack = await jetstream(monitor.nc).publish(subjects.result('n1', 'n2'), 'r1', {
      msgID: `r1-${Date.now()}`,
    });
    expect(ack.stream).toBe(stream);

    const sink = await as('result-sink');
    const manager = await jetstreamManager(sink.nc);
    await manager.consumers.add(stream, {
      durable_name: 'result-sink',
      ack_policy: AckPolicy.Explicit,
    });
    const durable = await jetstream(sink.nc).consumers.get(stream, 'result-sink');
    const batch = await durable.fetch({ max_messages: 10, expires: 1000 });
    const bySink: string[] = [];
    for await (const message of batch) {
      bySink.push(message.string());
      message.ack();
    }
    await sink.nc.flush();

    const gateway = await as('gateway');
    const ordered = await jetstream(gateway.nc).consumers.get(stream, {});
    const byGateway: string[] = [];
    for await (const message of await ordered.fetch({ max_messages: 10, expires: 1000 })) {
      byGateway.push(message.string());
    }

    expect(bySink).toEqual(['r1']);
    expect(byGateway).toEqual(['r1']);
    expect([...monitor.errors, ...sink.errors, ...gateway.errors]).toEqual([]);
  });

  it('nats auth - a sensor may not read a stream nor delete one', async () => {
    const monitor = await as('monitor');
    const stream = await ensureResultsStream(monitor.nc, subjects);
    const sensor = await as('sensor');

    const read = jetstream(sensor.nc)
      .consumers.get(stream, {})
      .then((c) => c.next({ expires: 1000 }));
    const deleted = sensor.nc.request(`$JS.API.STREAM.DELETE.${stream}`, '', { timeout: 1000 });

    await expect(read).rejects.toThrow();
    await expect(deleted).rejects.toThrow();
    expect(sensor.errors.join('\n')).toMatch(
      /Permissions Violation for Publish to "?\$JS\.API\.STREAM\.DELETE/,
    );
  });
});
