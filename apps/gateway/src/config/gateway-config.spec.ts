import { GatewayConfigError, loadGatewayConfig } from './gateway-config.js';

describe(loadGatewayConfig.name, () => {
  it('config - an empty environment gives the documented defaults', () => {
    const sut = loadGatewayConfig({});

    expect(sut).toMatchObject({
      cluster: 'meshmon',
      natsUrl: 'nats://127.0.0.1:4222',
      redisUrl: 'redis://127.0.0.1:6379',
      influx: { url: 'http://127.0.0.1:8086', database: 'meshmon' },
      http: { host: '127.0.0.1', port: 8080 },
      token: null,
      probeSeconds: 10,
      outliers: { throughputRatio: 0.75, rttRatio: 1.5 },
    });
  });

  it('config - reads every variable', () => {
    const sut = loadGatewayConfig({
      MESHMON_CLUSTER: 'c1',
      MESHMON_GATEWAY_PORT: '0',
      MESHMON_GATEWAY_TOKEN: 'a-long-enough-token',
      MESHMON_PROBE_SECONDS: '3',
      MESHMON_OUTLIER_THROUGHPUT_RATIO: '0.5',
      MESHMON_OUTLIER_RTT_RATIO: '2',
    });

    expect(sut).toMatchObject({
      cluster: 'c1',
      http: { port: 0 },
      token: 'a-long-enough-token',
      probeSeconds: 3,
      outliers: { throughputRatio: 0.5, rttRatio: 2 },
    });
  });

  it('config - lists every bad variable at once and never echoes the token', () => {
    let error: unknown;
    try {
      loadGatewayConfig({
        MESHMON_CLUSTER: 'Bad.Name',
        MESHMON_NATS_URL: 'http://x',
        MESHMON_INFLUX_URL: 'not a url',
        MESHMON_GATEWAY_PORT: '70000',
        MESHMON_GATEWAY_TOKEN: 'short secret',
        MESHMON_PROBE_SECONDS: 'ten',
        MESHMON_OUTLIER_THROUGHPUT_RATIO: '1.5',
        MESHMON_OUTLIER_RTT_RATIO: '0.9',
      });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(GatewayConfigError);
    const fields = (error as GatewayConfigError).problems.map((problem) => problem.field);
    expect(fields.sort()).toEqual([
      'MESHMON_CLUSTER',
      'MESHMON_GATEWAY_PORT',
      'MESHMON_GATEWAY_TOKEN',
      'MESHMON_INFLUX_URL',
      'MESHMON_NATS_URL',
      'MESHMON_OUTLIER_RTT_RATIO',
      'MESHMON_OUTLIER_THROUGHPUT_RATIO',
      'MESHMON_PROBE_SECONDS',
    ]);
    expect((error as Error).message).not.toContain('short secret');
  });
});
