import { loadSinkConfig, SinkConfigError } from './sink-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSinkConfig(env);
  } catch (error) {
    if (error instanceof SinkConfigError) return error.problems.map((problem) => problem.field);
    throw error;
  }
  return [];
}

describe(loadSinkConfig.name, () => {
  it('takes the defaults from an empty environment', () => {
    expect(loadSinkConfig({})).toEqual({
      cluster: 'meshmon',
      name: 'sink',
      natsUrl: 'nats://127.0.0.1:4222',
      natsNkey: null,
      sampleSeconds: 5,
      run: 'live',
      influx: {
        url: 'http://127.0.0.1:8086',
        database: 'meshmon',
        retentionPolicy: 'meshmon_30d',
        retentionDuration: '30d',
      },
      orchestrator: 'none',
      batchSize: 5000,
      durable: 'result-sink',
      ackWaitMs: 30_000,
      writeConcurrency: 4,
      eventsRetentionHours: 24,
    });
  });

  it('reads every variable', () => {
    const sut = loadSinkConfig({
      MESHMON_CLUSTER: 'lab-1',
      MESHMON_SINK_NAME: 'sink_2',
      MESHMON_NATS_URL: 'nats://10.0.0.1:4222',
      MESHMON_INFLUX_URL: 'https://influx:8086',
      MESHMON_INFLUX_DATABASE: 'metrics',
      MESHMON_INFLUX_RETENTION_POLICY: 'week',
      MESHMON_INFLUX_RETENTION: '4w',
      MESHMON_ORCHESTRATOR: 'swarm',
      MESHMON_SINK_BATCH: ' 250 ',
      MESHMON_SINK_DURABLE: 'sink-a',
      MESHMON_SINK_ACK_WAIT_MS: '5000',
      MESHMON_SINK_WRITE_CONCURRENCY: '2',
      MESHMON_EVENTS_RETENTION_HOURS: '72',
    });

    expect(sut).toMatchObject({
      cluster: 'lab-1',
      name: 'sink_2',
      influx: { url: 'https://influx:8086', retentionPolicy: 'week', retentionDuration: '4w' },
      orchestrator: 'swarm',
      batchSize: 250,
      durable: 'sink-a',
      ackWaitMs: 5000,
      writeConcurrency: 2,
      eventsRetentionHours: 72,
    });
  });

  it('names every bad variable in one error', () => {
    const env = {
      MESHMON_CLUSTER: 'Lab.1',
      MESHMON_SINK_NAME: 'a.b',
      MESHMON_NATS_URL: 'http://x',
      MESHMON_INFLUX_URL: 'influx:8086',
      MESHMON_INFLUX_DATABASE: 'my db',
      MESHMON_INFLUX_RETENTION_POLICY: '1st',
      MESHMON_INFLUX_RETENTION: '30m',
      MESHMON_ORCHESTRATOR: 'nomad',
      MESHMON_SINK_BATCH: '0',
      MESHMON_SINK_DURABLE: 'a b',
      MESHMON_SINK_ACK_WAIT_MS: '10',
      MESHMON_SINK_WRITE_CONCURRENCY: 'many',
      MESHMON_EVENTS_RETENTION_HOURS: '0',
    };

    expect(problemsOf(env).sort()).toEqual(Object.keys(env).sort());
  });

  it('says the rule and the value it got', () => {
    expect(() => loadSinkConfig({ MESHMON_SINK_BATCH: '20000' })).toThrow(
      'MESHMON_SINK_BATCH: must be an integer in 1..10000 (got "20000")',
    );
    expect(() => loadSinkConfig({ MESHMON_ORCHESTRATOR: 'k8s' })).toThrow(
      'MESHMON_ORCHESTRATOR: must be one of none, lab, process, container, swarm, kubernetes (got "k8s")',
    );
  });

  it('accepts INF as a retention duration', () => {
    expect(loadSinkConfig({ MESHMON_INFLUX_RETENTION: 'INF' }).influx.retentionDuration).toBe(
      'INF',
    );
  });

  it('config - InfluxDB credentials: both settings or neither, the password from its file', () => {
    const sut = loadSinkConfig(
      { MESHMON_INFLUX_USERNAME: 'meshmon-writer', MESHMON_INFLUX_PASSWORD_FILE: '/s' },
      () => 'w-secret',
    );

    expect(sut.influx.credentials).toEqual({ username: 'meshmon-writer', password: 'w-secret' });
    expect(problemsOf({ MESHMON_INFLUX_USERNAME: 'meshmon-writer' })).toEqual([
      'MESHMON_INFLUX_PASSWORD',
    ]);
    expect(loadSinkConfig({}).influx.credentials).toBeUndefined();
  });
});
