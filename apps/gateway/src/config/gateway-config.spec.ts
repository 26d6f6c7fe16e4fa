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

  it('config - reads the token from MESHMON_GATEWAY_TOKEN_FILE, trimmed', () => {
    const files: Record<string, string> = { '/run/secrets/token': 'a-long-enough-token\n' };

    const sut = loadGatewayConfig(
      { MESHMON_GATEWAY_TOKEN_FILE: '/run/secrets/token' },
      (path) => files[path],
    );

    expect(sut.token).toBe('a-long-enough-token');
  });

  it('config - an empty token file leaves the API open, as an unset token does', () => {
    const sut = loadGatewayConfig({ MESHMON_GATEWAY_TOKEN_FILE: '/empty' }, () => '\n');

    expect(sut.token).toBeNull();
  });

  it('config - a token file that cannot be read is named with the reason', () => {
    const missing = () => {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    };

    expect(() => loadGatewayConfig({ MESHMON_GATEWAY_TOKEN_FILE: '/nope' }, missing)).toThrow(
      'MESHMON_GATEWAY_TOKEN_FILE: must name a readable file (ENOENT: "/nope")',
    );
  });

  it('config - a short token in the file is refused under the file variable, not echoed', () => {
    const problems = () => {
      try {
        loadGatewayConfig({ MESHMON_GATEWAY_TOKEN_FILE: '/t' }, () => 'short secret');
        return [];
      } catch (error) {
        return (error as GatewayConfigError).problems;
      }
    };

    expect(problems()).toEqual([
      {
        field: 'MESHMON_GATEWAY_TOKEN_FILE',
        rule: 'must be 16-256 printable ASCII characters without spaces',
      },
    ]);
  });

  it('config - the token and the token file together are refused', () => {
    expect(() =>
      loadGatewayConfig(
        { MESHMON_GATEWAY_TOKEN: 'a-long-enough-token', MESHMON_GATEWAY_TOKEN_FILE: '/t' },
        () => 'another-long-enough-token',
      ),
    ).toThrow('MESHMON_GATEWAY_TOKEN_FILE: cannot be set together with MESHMON_GATEWAY_TOKEN');
  });

  it('config - InfluxDB credentials from the user and the password file, over the URL, never echoed', () => {
    const sut = loadGatewayConfig(
      {
        MESHMON_INFLUX_URL: 'http://old:pw@influxdb:8086',
        MESHMON_INFLUX_USERNAME: 'meshmon-reader',
        MESHMON_INFLUX_PASSWORD_FILE: '/run/secrets/influx',
      },
      () => 'pass word\n',
    );

    expect(sut.influx.credentials).toEqual({ username: 'meshmon-reader', password: 'pass word' });
  });

  it('config - an InfluxDB user without a password (or the reverse) names the missing one', () => {
    expect(() => loadGatewayConfig({ MESHMON_INFLUX_USERNAME: 'reader' })).toThrow(
      'MESHMON_INFLUX_PASSWORD: is required when MESHMON_INFLUX_USERNAME is set',
    );
    expect(() => loadGatewayConfig({ MESHMON_INFLUX_PASSWORD: 's3cret-value' })).toThrow(
      'MESHMON_INFLUX_USERNAME: is required when MESHMON_INFLUX_PASSWORD is set',
    );
    expect(() => loadGatewayConfig({ MESHMON_INFLUX_PASSWORD: 'bad\u0001' })).not.toThrow(
      'bad\u0001',
    );
    expect(loadGatewayConfig({}).influx.credentials).toBeUndefined();
  });
});
