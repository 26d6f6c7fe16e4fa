import { FlowDiscoveryConfigError, loadFlowDiscoveryConfig } from './flow-discovery-config.js';

const problemsFor = (env: Record<string, string>) => {
  try {
    loadFlowDiscoveryConfig(env);
  } catch (error) {
    if (error instanceof FlowDiscoveryConfigError) return error.problems.map((p) => p.field);
    throw error;
  }
  return [];
};

describe(loadFlowDiscoveryConfig.name, () => {
  it('applies the documented defaults', () => {
    const sut = loadFlowDiscoveryConfig({ MESHMON_NODE: 'n1' });

    expect(sut).toEqual({
      node: 'n1',
      cluster: 'meshmon',
      natsUrl: 'nats://127.0.0.1:4222',
      natsNkey: null,
      sampleSeconds: 5,
      run: 'live',
      orchestrator: 'none',
      address: null,
      intervalMs: 2000,
      procNetDir: '/proc/self/net',
      allowLoopback: false,
      ignorePorts: [4222, ...Array.from({ length: 16 }, (_, index) => 5201 + index)],
      conntrack: { command: 'conntrack', timeoutMs: 2000, retryMs: 60_000 },
    });
  });

  it('turns the dots of a host name into _, as the node services do', () => {
    expect(loadFlowDiscoveryConfig({ MESHMON_NODE: 'worker-1.example.org' }).node).toBe(
      'worker-1_example_org',
    );
  });

  it('ignores the ports of every Meshmon service it is told about', () => {
    const sut = loadFlowDiscoveryConfig({
      MESHMON_NODE: 'n1',
      MESHMON_NATS_URL: 'nats://10.0.0.9:14222',
      MESHMON_REDIS_URL: 'redis://10.0.0.9',
      MESHMON_INFLUX_URL: 'http://10.0.0.9:18086',
      MESHMON_GATEWAY_PORT: '8080',
      MESHMON_IPERF_PORT_BASE: '6000',
      MESHMON_IPERF_PORT_COUNT: '2',
      MESHMON_IGNORE_PORTS: '53, 9000-9002',
    });

    expect(sut.ignorePorts).toEqual([53, 6000, 6001, 6379, 8080, 9000, 9001, 9002, 14222, 18086]);
  });

  it('reads the address, the interval, the directory and the loopback switch', () => {
    const sut = loadFlowDiscoveryConfig({
      MESHMON_NODE: 'a',
      MESHMON_CLUSTER: 'lab-1',
      MESHMON_ADDRESS: 'FD00::2',
      MESHMON_DISCOVERY_INTERVAL_MS: '250',
      MESHMON_PROC_NET: '/tmp/fixtures',
      MESHMON_DISCOVERY_ALLOW_LOOPBACK: 'true',
    });

    expect(sut).toMatchObject({
      cluster: 'lab-1',
      address: 'fd00::2',
      intervalMs: 250,
      procNetDir: '/tmp/fixtures',
      allowLoopback: true,
    });
  });

  it('tolerates the variables of the other node services', () => {
    expect(
      problemsFor({ MESHMON_NODE: 'n1', MESHMON_ALGORITHM: 'cps', MESHMON_MEMBERS: 'x' }),
    ).toEqual([]);
  });

  it('lists every bad variable in one error', () => {
    const env = {
      MESHMON_CLUSTER: 'Bad Cluster',
      MESHMON_ADDRESS: 'node-1',
      MESHMON_NATS_URL: 'http://x',
      MESHMON_REDIS_URL: 'not a url',
      MESHMON_GATEWAY_PORT: '70000',
      // A base in range whose count runs past 65535 (one MESHMON_IPERF_PORT_BASE for every
      // service now: 1024..65000).
      MESHMON_IPERF_PORT_BASE: '65000',
      MESHMON_IPERF_PORT_COUNT: '600',
      MESHMON_IGNORE_PORTS: '80,90-85',
      MESHMON_DISCOVERY_INTERVAL_MS: '2s',
      MESHMON_DISCOVERY_ALLOW_LOOPBACK: 'yes',
      MESHMON_CONNTRACK_RETRY_MS: '-1',
    };

    expect(problemsFor(env)).toEqual([
      'MESHMON_NODE',
      'MESHMON_CLUSTER',
      'MESHMON_ADDRESS',
      'MESHMON_NATS_URL',
      'MESHMON_REDIS_URL',
      'MESHMON_GATEWAY_PORT',
      'MESHMON_IPERF_PORT_COUNT',
      'MESHMON_IGNORE_PORTS',
      'MESHMON_DISCOVERY_ALLOW_LOOPBACK',
      'MESHMON_DISCOVERY_INTERVAL_MS',
      'MESHMON_CONNTRACK_RETRY_MS',
    ]);
    expect(() => loadFlowDiscoveryConfig(env)).toThrow(
      'MESHMON_NODE: is required; MESHMON_CLUSTER: must be a cluster name: 1-32 lower-case letters',
    );
  });

  it('names the rule and the value in each problem', () => {
    expect(() =>
      loadFlowDiscoveryConfig({ MESHMON_NODE: 'n1', MESHMON_ADDRESS: '10.0.0' }),
    ).toThrow('MESHMON_ADDRESS: must be an IPv4 or IPv6 address (got "10.0.0")');
  });
});
