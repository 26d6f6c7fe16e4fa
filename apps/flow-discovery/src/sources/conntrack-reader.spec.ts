import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConntrackReader } from './conntrack-reader.js';

const ENTRY =
  'tcp      6 119 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000 [ASSURED] mark=0 use=1';

describe(ConntrackReader.name, () => {
  let dir: string;

  /** A stand-in for conntrack that logs each call and behaves as `body` says. */
  const fakeConntrack = (body: string): string => {
    const path = join(dir, 'conntrack');
    writeFileSync(path, `#!/bin/sh\necho call >> "${join(dir, 'calls')}"\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const calls = (): number => readFileSync(join(dir, 'calls'), 'utf8').split('\n').length - 1;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshmon-conntrack-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses the listing of a working conntrack', async () => {
    const command = fakeConntrack(`echo '${ENTRY}'\necho 'conntrack v1.4.7: 1 flow entries' >&2`);
    const sut = new ConntrackReader({ command, timeoutMs: 5000, retryMs: 60_000 });

    const snapshot = await sut.read(0);

    expect(snapshot.status).toBe('available');
    expect(snapshot.flows).toHaveLength(1);
    expect(snapshot.flows[0].dst).toEqual({ address: '10.0.0.2', port: 80 });
  });

  it('caches a failure and retries only after the retry time', async () => {
    const command = fakeConntrack('echo "conntrack v1.4.7: Operation not permitted" >&2\nexit 1');
    const sut = new ConntrackReader({ command, timeoutMs: 5000, retryMs: 60_000 });

    expect((await sut.read(0)).status).toBe('unavailable');
    expect((await sut.read(59_999)).status).toBe('unavailable');
    expect(calls()).toBe(1);
    await sut.read(60_000);
    expect(calls()).toBe(2);
  });

  it('gives up on a conntrack that hangs, within its timeout', async () => {
    const command = fakeConntrack('sleep 5');
    const sut = new ConntrackReader({ command, timeoutMs: 200, retryMs: 60_000 });
    const started = Date.now();

    expect((await sut.read(0)).status).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a missing binary as unavailable', async () => {
    const sut = new ConntrackReader({
      command: join(dir, 'no-such-conntrack'),
      timeoutMs: 1000,
      retryMs: 60_000,
    });

    expect(await sut.read(0)).toEqual({ status: 'unavailable', flows: [], problems: [] });
  });
});
