import { CLUSTER_NAME_RULE } from '@meshmon/contracts';
import { defaultSchedulerConfig } from '@meshmon/scheduling';
import {
  AgentConfigError,
  loadAgentConfig,
  schedulerConfigForProbe,
  slotRequestWaitMs,
} from './agent-config.js';

/** The two variables without a default. */
const MINIMAL = { MESHMON_NODE: 'n1', MESHMON_ADDRESS: '10.0.0.1' };

/** Loads, expecting it to fail, and returns the problems as `field: rule` lines. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadAgentConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentConfigError);
    return (error as AgentConfigError).problems.map((p) => `${p.field}: ${p.rule}`);
  }
  throw new Error('loadAgentConfig accepted a bad environment');
}

describe(loadAgentConfig.name, () => {
  it('agent config - fills every default from the two required variables', () => {
    const sut = loadAgentConfig(MINIMAL);

    expect(sut).toEqual({
      node: 'n1',
      cluster: 'meshmon',
      natsUrl: 'nats://127.0.0.1:4222',
      natsNkey: null,
      sampleSeconds: 5,
      run: 'live',
      orchestrator: 'none',
      redisUrl: 'redis://127.0.0.1:6379',
      algorithm: 'cps',
      members: ['n1'],
      joining: false,
      address: '10.0.0.1',
      probe: {
        seconds: 10,
        protocol: 'tcp',
        udpBitrate: '100M',
        pingCount: 3,
        pingIntervalSeconds: 0.05,
      },
      scheduler: schedulerConfigForProbe(10),
      seed: 1,
      iperfPortBase: 5201,
      discovery: { enabled: false, windowMs: 30_000, enterObservations: 2, exitAfterMs: 120_000 },
      outboxDir: `/var/lib/meshmon/outbox/${sut.node}`,
      redisCredentials: null,
    });
  });

  it('agent config - a Redis login: user and password (from its file), a password alone, never a user alone', () => {
    const files: Record<string, string> = { '/run/secrets/redis': 's3cret-pw\n' };
    const withFile = loadAgentConfig(
      {
        ...MINIMAL,
        MESHMON_REDIS_USERNAME: 'meshmon',
        MESHMON_REDIS_PASSWORD_FILE: '/run/secrets/redis',
      },
      (path) => files[path],
    );
    expect(withFile.redisCredentials).toEqual({ username: 'meshmon', password: 's3cret-pw' });
    expect(loadAgentConfig({ ...MINIMAL, MESHMON_REDIS_PASSWORD: 'pw' }).redisCredentials).toEqual({
      username: null,
      password: 'pw',
    });
    expect(() => loadAgentConfig({ ...MINIMAL, MESHMON_REDIS_USERNAME: 'meshmon' })).toThrow(
      'MESHMON_REDIS_PASSWORD: is required when MESHMON_REDIS_USERNAME is set',
    );
  });

  it('agent config - MESHMON_ALGORITHM=none starts idle, waiting for a start order', () => {
    expect(loadAgentConfig({ ...MINIMAL, MESHMON_ALGORITHM: 'none' }).algorithm).toBeNull();
  });

  it('agent config - discovery settings must not flap: exit after more than the window', () => {
    expect(() =>
      loadAgentConfig({
        ...MINIMAL,
        MESHMON_DISCOVERY: 'on',
        MESHMON_DISCOVERY_WINDOW_MS: '60000',
        MESHMON_DISCOVERY_EXIT_MS: '30000',
      }),
    ).toThrow(/MESHMON_DISCOVERY_EXIT_MS: must be greater than MESHMON_DISCOVERY_WINDOW_MS/);
    expect(() => loadAgentConfig({ ...MINIMAL, MESHMON_DISCOVERY: 'yes' })).toThrow(
      'MESHMON_DISCOVERY: must be on or off (got "yes")',
    );
  });

  it('agent config - a host name with dots becomes a node name with _ (one subject token)', () => {
    const sut = loadAgentConfig({ ...MINIMAL, MESHMON_NODE: 'ip-10-0-1-7.ec2.internal' });

    expect(sut.node).toBe('ip-10-0-1-7_ec2_internal');
    expect(sut.members).toEqual(['ip-10-0-1-7_ec2_internal']);
  });

  it('agent config - reads every variable, trimming the blanks around values', () => {
    const sut = loadAgentConfig({
      MESHMON_NODE: ' n2 ',
      MESHMON_ADDRESS: '192.168.1.20',
      MESHMON_CLUSTER: 'lab-7',
      MESHMON_ALGORITHM: 'tts',
      MESHMON_MEMBERS: 'n1, n2 ,n3',
      MESHMON_JOINING: 'true',
      MESHMON_PROBE_SECONDS: '5',
      MESHMON_PROBE_PROTOCOL: 'udp',
      MESHMON_UDP_BITRATE: '2.5G',
      MESHMON_SCHEDULER_PARAMS: 'retryWaitMs=1500, tts.requestRetryMs=700',
      MESHMON_NATS_URL: 'tls://nats.example:4443',
      MESHMON_REDIS_URL: 'rediss://redis.example:6380',
      MESHMON_PING_COUNT: '7',
      MESHMON_SEED: '42',
      MESHMON_IPERF_PORT_BASE: '6000',
    });

    expect(sut).toMatchObject({
      node: 'n2',
      cluster: 'lab-7',
      natsUrl: 'tls://nats.example:4443',
      redisUrl: 'rediss://redis.example:6380',
      algorithm: 'tts',
      members: ['n1', 'n2', 'n3'],
      joining: true,
      address: '192.168.1.20',
      probe: { seconds: 5, protocol: 'udp', udpBitrate: '2.5G', pingCount: 7 },
      seed: 42,
      iperfPortBase: 6000,
    });
    expect(sut.scheduler.eventMs).toBe(5400);
    expect(sut.scheduler.retryWaitMs).toBe(1500);
    expect(sut.scheduler.tts.requestRetryMs).toBe(700);
  });

  it('agent config - treats a blank variable as unset', () => {
    const sut = loadAgentConfig({ ...MINIMAL, MESHMON_CLUSTER: '   ', MESHMON_ALGORITHM: '' });

    expect([sut.cluster, sut.algorithm]).toEqual(['meshmon', 'cps']);
  });

  it('agent config - adds the node itself to a member list that lacks it', () => {
    const sut = loadAgentConfig({ ...MINIMAL, MESHMON_NODE: 'n4', MESHMON_MEMBERS: 'n1,n2,,n3' });

    expect(sut.members).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it('agent config - does not list the node twice when the member list has it', () => {
    const sut = loadAgentConfig({ ...MINIMAL, MESHMON_MEMBERS: 'n1,n2' });

    expect(sut.members).toEqual(['n1', 'n2']);
  });

  it.each([
    ['MESHMON_NODE', undefined, 'is required'],
    ['MESHMON_NODE', '  ', 'is required'],
    ['MESHMON_NODE', '-n1', 'must be letters, digits, _, - or ., at most 63 (got "-n1")'],
    ['MESHMON_NODE', 'x'.repeat(64), 'must be letters, digits, _, - or ., at most 63'],
    ['MESHMON_CLUSTER', 'Lab', `${CLUSTER_NAME_RULE} (got "Lab")`],
    ['MESHMON_CLUSTER', 'a'.repeat(33), CLUSTER_NAME_RULE],
    ['MESHMON_ALGORITHM', 'fifo', 'must be none or one of rr, crs, cps, tts (got "fifo")'],
    ['MESHMON_MEMBERS', 'n1,n 2', 'must be a comma-separated list of node names (bad: "n 2")'],
    ['MESHMON_JOINING', 'yes', 'must be true or false (got "yes")'],
    ['MESHMON_ADDRESS', undefined, 'is required'],
    ['MESHMON_ADDRESS', '10.0.0.256', 'must be an IPv4 address (got "10.0.0.256")'],
    ['MESHMON_ADDRESS', 'node1.lab', 'must be an IPv4 address (got "node1.lab")'],
    ['MESHMON_PROBE_SECONDS', '2.5', 'must be an integer in 1..3600 (got "2.5")'],
    ['MESHMON_PROBE_SECONDS', '0', 'must be an integer in 1..3600 (got "0")'],
    ['MESHMON_PROBE_SECONDS', '3601', 'must be an integer in 1..3600 (got "3601")'],
    ['MESHMON_PROBE_SECONDS', 'ten', 'must be an integer in 1..3600 (got "ten")'],
    ['MESHMON_PROBE_PROTOCOL', 'sctp', 'must be tcp or udp (got "sctp")'],
    ['MESHMON_UDP_BITRATE', '100Mbit', 'must be a rate like 100M, 1G or 500K (got "100Mbit")'],
    ['MESHMON_NATS_URL', 'http://127.0.0.1:4222', 'must be a URL with scheme nats: or tls:'],
    ['MESHMON_NATS_URL', 'not a url', 'must be a URL with scheme nats: or tls: (got "not a url")'],
    ['MESHMON_REDIS_URL', 'nats://127.0.0.1:6379', 'must be a URL with scheme redis: or rediss:'],
    ['MESHMON_PING_COUNT', '0', 'must be an integer in 1..100 (got "0")'],
    // One integer rule in every service: no sign unless the range allows negatives.
    ['MESHMON_PING_COUNT', '+5', 'must be an integer in 1..100 (got "+5")'],
    ['MESHMON_SEED', '-1', 'must be an integer in 0..2147483647 (got "-1")'],
    ['MESHMON_IPERF_PORT_BASE', '80', 'must be an integer in 1024..65000 (got "80")'],
  ])('agent config - rejects %s=%j, naming the variable and the rule', (name, value, rule) => {
    const problems = problemsOf({ ...MINIMAL, MESHMON_MEMBERS: 'n1', [name]: value });

    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${name}: ${rule}`)).toBe(true);
  });

  // Known defect: with MESHMON_MEMBERS unset the member list defaults to the bad node
  // name, so the one mistake is also reported against a variable nobody set.
  it('agent config - reports a bad MESHMON_NODE once, not again as MESHMON_MEMBERS', () => {
    expect(problemsOf({ ...MINIMAL, MESHMON_NODE: 'bad node' })).toEqual([
      'MESHMON_NODE: must be letters, digits, _, - or ., at most 63 (got "bad node")',
    ]);
  });

  it('agent config - rejects an unknown scheduler parameter by name', () => {
    const problems = problemsOf({ ...MINIMAL, MESHMON_SCHEDULER_PARAMS: 'lockMs=20000,speed=3' });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^MESHMON_SCHEDULER_PARAMS: must be <name>=<number> with name one of eventMs, .* \(got "speed=3"\)$/,
    );
  });

  it('agent config - rejects a scheduler parameter that is not a number', () => {
    expect(problemsOf({ ...MINIMAL, MESHMON_SCHEDULER_PARAMS: 'cps.listeningMs=soon' })).toEqual([
      'MESHMON_SCHEDULER_PARAMS: cps.listeningMs must be a number (got "soon")',
    ]);
  });

  it('agent config - rejects scheduler parameters that break a rule, naming the setting', () => {
    expect(problemsOf({ ...MINIMAL, MESHMON_SCHEDULER_PARAMS: 'lockMs=5000' })).toEqual([
      'MESHMON_SCHEDULER_PARAMS lockMs: must be >= eventMs so one event fits in a lock',
    ]);
    expect(problemsOf({ ...MINIMAL, MESHMON_SCHEDULER_PARAMS: 'crs.threshold=1' })).toEqual([
      'MESHMON_SCHEDULER_PARAMS crs.threshold: must be in [0, 1)',
    ]);
  });

  it('agent config - reports every bad variable in one error', () => {
    let caught: unknown;
    try {
      loadAgentConfig({
        MESHMON_CLUSTER: 'UPPER',
        MESHMON_ALGORITHM: 'fifo',
        MESHMON_JOINING: '1',
        MESHMON_ADDRESS: 'localhost',
        MESHMON_PROBE_SECONDS: '0.5',
        MESHMON_PROBE_PROTOCOL: 'icmp',
        MESHMON_UDP_BITRATE: 'fast',
        MESHMON_REDIS_URL: 'http://r',
      });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(AgentConfigError);
    const error = caught as AgentConfigError;
    expect(error.name).toBe('AgentConfigError');
    expect(error.problems.map((problem) => problem.field)).toEqual([
      'MESHMON_NODE',
      'MESHMON_CLUSTER',
      'MESHMON_REDIS_URL',
      'MESHMON_ALGORITHM',
      'MESHMON_JOINING',
      'MESHMON_ADDRESS',
      'MESHMON_PROBE_SECONDS',
      'MESHMON_PROBE_PROTOCOL',
      'MESHMON_UDP_BITRATE',
    ]);
    expect(error.message).toContain('MESHMON_NODE: is required; MESHMON_CLUSTER: ');
  });
});

describe(schedulerConfigForProbe.name, () => {
  it('probe scheduler settings - event time is the probe plus the expected overhead', () => {
    const sut = schedulerConfigForProbe(10);

    expect(sut.eventMs).toBe(10_400);
    expect(sut.lockMs).toBe(defaultSchedulerConfig(10_400).lockMs);
  });

  it('probe scheduler settings - scales the CPS listening period with the event time', () => {
    const thesis = defaultSchedulerConfig();

    // 13.05 s of probe + 0.4 s overhead is exactly the thesis's 13.45 s event.
    expect(schedulerConfigForProbe(13.05).cps.listeningMs).toBe(thesis.cps.listeningMs);
    expect(schedulerConfigForProbe(10).cps.listeningMs).toBe(Math.round((3500 * 10_400) / 13_450));
    expect(schedulerConfigForProbe(2).cps.listeningMs).toBe(Math.round((3500 * 2400) / 13_450));
  });
});

describe(slotRequestWaitMs.name, () => {
  it('slot request wait - CPS waits for the listening period plus one second', () => {
    const sut = loadAgentConfig({ ...MINIMAL, MESHMON_SCHEDULER_PARAMS: 'cps.listeningMs=2000' });

    expect(slotRequestWaitMs('cps', sut.scheduler)).toBe(3000);
  });

  it('slot request wait - the other algorithms wait a second, or the TTS retry when longer', () => {
    expect(slotRequestWaitMs('rr', loadAgentConfig(MINIMAL).scheduler)).toBe(1000);
    expect(
      slotRequestWaitMs(
        'tts',
        loadAgentConfig({
          ...MINIMAL,
          MESHMON_ALGORITHM: 'tts',
          MESHMON_SCHEDULER_PARAMS: 'tts.requestRetryMs=2500',
        }).scheduler,
      ),
    ).toBe(2500);
  });
});
