import { GatewayConfigError, loadGatewayConfig } from './gateway-config.js';

/** The one setting without a default: the token (or the API opened on purpose). */
const TOKEN = { MESHMON_GATEWAY_TOKEN: 'a-long-enough-token' };

const problemsOf = (load: () => unknown) => {
  try {
    load();
    return [];
  } catch (error) {
    return (error as GatewayConfigError).problems;
  }
};

describe(loadGatewayConfig.name, () => {
  it('config - the token alone gives the documented defaults', () => {
    const sut = loadGatewayConfig(TOKEN);

    expect(sut).toMatchObject({
      cluster: 'meshmon',
      natsUrl: 'nats://127.0.0.1:4222',
      redisUrl: 'redis://127.0.0.1:6379',
      influx: { url: 'http://127.0.0.1:8086', database: 'meshmon' },
      http: { host: '127.0.0.1', port: 8080 },
      token: 'a-long-enough-token',
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

  it('config - without a token the gateway does not start: the API is never open by default', () => {
    expect(problemsOf(() => loadGatewayConfig({}))).toEqual([
      {
        field: 'MESHMON_GATEWAY_TOKEN',
        rule: 'is required (or MESHMON_GATEWAY_TOKEN_FILE, a file holding it); MESHMON_GATEWAY_OPEN=on leaves the API open instead',
      },
    ]);
    expect(
      problemsOf(() => loadGatewayConfig({ MESHMON_GATEWAY_TOKEN_FILE: '/empty' }, () => '\n')),
    ).toEqual([
      {
        field: 'MESHMON_GATEWAY_TOKEN_FILE',
        rule: 'must name a file holding the token (this one is empty); MESHMON_GATEWAY_OPEN=on leaves the API open instead',
      },
    ]);
  });

  it('config - MESHMON_GATEWAY_OPEN=on opens the API on purpose, and never together with a token', () => {
    expect(loadGatewayConfig({ MESHMON_GATEWAY_OPEN: 'on' }).token).toBeNull();
    expect(problemsOf(() => loadGatewayConfig({ ...TOKEN, MESHMON_GATEWAY_OPEN: 'on' }))).toEqual([
      { field: 'MESHMON_GATEWAY_OPEN', rule: 'must be off when a token is set' },
    ]);
    expect(
      problemsOf(() => loadGatewayConfig({ MESHMON_GATEWAY_OPEN: 'yes' })).map((p) => p.field),
    ).toEqual(['MESHMON_GATEWAY_TOKEN', 'MESHMON_GATEWAY_OPEN']);
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
    const problems = () =>
      problemsOf(() =>
        loadGatewayConfig({ MESHMON_GATEWAY_TOKEN_FILE: '/t' }, () => 'short secret'),
      );

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
        ...TOKEN,
        MESHMON_INFLUX_URL: 'http://old:pw@influxdb:8086',
        MESHMON_INFLUX_USERNAME: 'meshmon-reader',
        MESHMON_INFLUX_PASSWORD_FILE: '/run/secrets/influx',
      },
      () => 'pass word\n',
    );

    expect(sut.influx.credentials).toEqual({ username: 'meshmon-reader', password: 'pass word' });
  });

  it('config - an InfluxDB user without a password (or the reverse) names the missing one', () => {
    expect(() => loadGatewayConfig({ ...TOKEN, MESHMON_INFLUX_USERNAME: 'reader' })).toThrow(
      'MESHMON_INFLUX_PASSWORD: is required when MESHMON_INFLUX_USERNAME is set',
    );
    expect(() => loadGatewayConfig({ ...TOKEN, MESHMON_INFLUX_PASSWORD: 's3cret-value' })).toThrow(
      'MESHMON_INFLUX_USERNAME: is required when MESHMON_INFLUX_PASSWORD is set',
    );
    expect(() => loadGatewayConfig({ ...TOKEN, MESHMON_INFLUX_PASSWORD: 'bad\u0001' })).not.toThrow(
      'bad\u0001',
    );
    expect(loadGatewayConfig(TOKEN).influx.credentials).toBeUndefined();
  });
});
