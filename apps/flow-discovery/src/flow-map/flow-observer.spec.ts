import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFlowDiscoveryConfig } from '../config/flow-discovery-config.js';
import { ConntrackReader } from '../sources/conntrack-reader.js';
import { FlowObserver } from './flow-observer.js';

/** The /proc/net tables captured for libs/discovery's parser tests. */
const FIXTURES = fileURLToPath(
  new URL('../../../../libs/discovery/src/parsers/fixtures/', import.meta.url),
);

describe(FlowObserver.name, () => {
  let procNet: string;

  beforeEach(() => {
    procNet = mkdtempSync(join(tmpdir(), 'meshmon-proc-net-'));
    for (const file of ['tcp', 'tcp6', 'udp', 'udp6']) {
      copyFileSync(join(FIXTURES, `proc-net-${file}.txt`), join(procNet, file));
    }
  });

  afterEach(() => {
    rmSync(procNet, { recursive: true, force: true });
  });

  const observerFor = (env: Record<string, string>) => {
    const config = loadFlowDiscoveryConfig({
      MESHMON_NODE: 'a',
      MESHMON_CLUSTER: 'lab',
      MESHMON_PROC_NET: procNet,
      MESHMON_CONNTRACK_COMMAND: join(procNet, 'no-conntrack-here'),
      ...env,
    });
    return new FlowObserver(config, new ConntrackReader(config.conntrack));
  };

  it('reports the captured 127.0.0.2 -> 127.0.0.3 connections as flows to b', async () => {
    const sut = observerFor({
      MESHMON_ADDRESS: '127.0.0.2',
      MESHMON_DISCOVERY_ALLOW_LOOPBACK: 'true',
    });

    const { map, problems } = await sut.observe(new Map([['127.0.0.3', 'b']]), 1000);

    // Two TCP connections (the capture's own and another test's that was open at the
    // time) and one connected UDP socket from 127.0.0.2 to 127.0.0.3; the server ends
    // (local 127.0.0.3) are b's, not a's.
    expect(map.peers).toEqual([{ node: 'b', tcp: 2, udp: 1, conntrack: 0 }]);
    expect(map).toMatchObject({
      v: 1,
      cluster: 'lab',
      node: 'a',
      observedAtMs: 1000,
      intervalMs: 2000,
      conntrack: 'unavailable',
    });
    expect(map.addresses[0]).toBe('127.0.0.2');
    expect(problems).toEqual([]);
  });

  it('counts nothing over loopback in production', async () => {
    const sut = observerFor({ MESHMON_ADDRESS: '127.0.0.2' });

    const { map } = await sut.observe(new Map([['127.0.0.3', 'b']]), 1000);

    expect(map.peers).toEqual([]);
    expect(map.ignoredFlows).toBe(14);
  });

  it('reports lines it does not understand and still publishes the rest', async () => {
    copyFileSync(join(FIXTURES, 'conntrack-L.txt'), join(procNet, 'udp'));
    const sut = observerFor({ MESHMON_ADDRESS: '127.0.0.2' });

    const { map, problems } = await sut.observe(new Map(), 1000);

    expect(problems.map((entry) => entry.source)).toEqual(['udp']);
    expect(problems[0].problems[0]).toEqual({
      line: 1,
      field: '(line)',
      rule: 'must start with "<slot>: local_address rem_address st"',
    });
    expect(map.ignoredFlows).toBe(13);
  });
});
