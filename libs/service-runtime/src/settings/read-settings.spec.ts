import { inTableOrder, readSettings } from './read-settings.js';
import {
  booleanSetting,
  choiceSetting,
  decimalSetting,
  integerSetting,
  optional,
  pathSetting,
  secretSetting,
  switchSetting,
  textSetting,
  urlSetting,
  type FileReader,
} from './setting.js';
import * as SharedSettings from './shared-settings.js';

const table = {
  port: integerSetting('MESHMON_T_PORT', { default: 80, min: 0, max: 65_535 }),
  offset: integerSetting('MESHMON_T_OFFSET', { default: 0, min: -10, max: 10 }),
  ratio: decimalSetting('MESHMON_T_RATIO', {
    default: 0.5,
    accepts: (value) => value > 0 && value <= 1,
    rule: 'must be above 0 and at most 1',
  }),
  name: textSetting('MESHMON_T_NAME', { pattern: /^[a-z]+$/, rule: 'must be a-z' }),
  tool: choiceSetting('MESHMON_T_TOOL', { choices: ['tcp', 'udp'], default: 'tcp' }),
  discovery: switchSetting('MESHMON_T_DISCOVERY', { default: false }),
  joining: booleanSetting('MESHMON_T_JOINING', { default: true }),
  url: optional(urlSetting('MESHMON_T_URL', { default: 'nats://x', schemes: ['nats:'] })),
  dir: pathSetting('MESHMON_T_DIR', { default: '/proc/self/net' }),
  token: secretSetting('MESHMON_T_TOKEN', {
    default: null,
    pattern: /^\S{8,}$/,
    rule: 'must be 8 or more characters without spaces',
  }),
};

const noFiles: FileReader = (path) => {
  throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
};

describe(readSettings.name, () => {
  it('read settings - unset and blank variables take their defaults, a required one is a problem', () => {
    const { values, problems } = readSettings({ MESHMON_T_PORT: '  ' }, table, noFiles);

    expect(values).toEqual({
      port: 80,
      offset: 0,
      ratio: 0.5,
      name: undefined,
      tool: 'tcp',
      discovery: false,
      joining: true,
      url: null,
      dir: '/proc/self/net',
      token: null,
    });
    expect(problems).toEqual([{ field: 'MESHMON_T_NAME', rule: 'is required' }]);
  });

  it('read settings - values are trimmed and parsed, each by its setting', () => {
    const { values, problems } = readSettings(
      {
        MESHMON_T_PORT: ' 0080 ',
        MESHMON_T_OFFSET: '-3',
        MESHMON_T_RATIO: '0.25',
        MESHMON_T_NAME: 'abc',
        MESHMON_T_TOOL: 'udp',
        MESHMON_T_DISCOVERY: 'on',
        MESHMON_T_JOINING: 'false',
        MESHMON_T_URL: 'nats://h:4',
        MESHMON_T_DIR: ' /host/proc/1/my net ',
        MESHMON_T_TOKEN: 'secret-token',
      },
      table,
      noFiles,
    );

    expect(problems).toEqual([]);
    expect(values).toEqual({
      port: 80,
      offset: -3,
      ratio: 0.25,
      name: 'abc',
      tool: 'udp',
      discovery: true,
      joining: false,
      url: 'nats://h:4',
      dir: '/host/proc/1/my net',
      token: 'secret-token',
    });
  });

  it.each([
    ['MESHMON_T_PORT', '+5', 'must be an integer in 0..65535 (got "+5")'],
    ['MESHMON_T_PORT', '5.0', 'must be an integer in 0..65535 (got "5.0")'],
    ['MESHMON_T_PORT', '1e3', 'must be an integer in 0..65535 (got "1e3")'],
    ['MESHMON_T_PORT', '-1', 'must be an integer in 0..65535 (got "-1")'],
    ['MESHMON_T_PORT', '65536', 'must be an integer in 0..65535 (got "65536")'],
    ['MESHMON_T_OFFSET', '- 3', 'must be an integer in -10..10 (got "- 3")'],
    ['MESHMON_T_RATIO', '1.5', 'must be above 0 and at most 1 (got "1.5")'],
    ['MESHMON_T_RATIO', '.5', 'must be above 0 and at most 1 (got ".5")'],
    ['MESHMON_T_TOOL', 'sctp', 'must be tcp or udp (got "sctp")'],
    ['MESHMON_T_DISCOVERY', 'true', 'must be on or off (got "true")'],
    ['MESHMON_T_JOINING', 'on', 'must be true or false (got "on")'],
    ['MESHMON_T_URL', 'http://h', 'must be a URL with scheme nats: (got "http://h")'],
    [
      'MESHMON_T_DIR',
      '/proc\nx',
      'must be a path or command name (at most 4096 characters, no control characters) (got "/proc\\nx")',
    ],
  ])('read settings - %s=%s breaks the rule "%s"', (variable, text, rule) => {
    const { problems } = readSettings({ MESHMON_T_NAME: 'ok', [variable]: text }, table, noFiles);

    expect(problems).toEqual([{ field: variable, rule }]);
  });

  it('read settings - a bad value takes the default, so one problem does not hide the others', () => {
    const { values, problems } = readSettings(
      { MESHMON_T_PORT: 'x', MESHMON_T_TOOL: 'y', MESHMON_T_NAME: 'Z' },
      table,
      noFiles,
    );

    expect(values.port).toBe(80);
    expect(values.tool).toBe('tcp');
    expect(problems.map((problem) => problem.field)).toEqual([
      'MESHMON_T_PORT',
      'MESHMON_T_NAME',
      'MESHMON_T_TOOL',
    ]);
  });

  it('read settings - a secret comes from the file its _FILE variable names, trimmed', () => {
    const files: FileReader = (path) =>
      path === '/run/secrets/t' ? 'from-a-file\n' : noFiles(path);

    const { values, problems, sources } = readSettings(
      { MESHMON_T_NAME: 'ok', MESHMON_T_TOKEN_FILE: '/run/secrets/t' },
      table,
      files,
    );

    expect(problems).toEqual([]);
    expect(values.token).toBe('from-a-file');
    expect(sources.token).toBe('MESHMON_T_TOKEN_FILE');
  });

  it('read settings - a secret set twice, an unreadable file or a bad secret is a problem that never shows the secret', () => {
    const both = readSettings(
      { MESHMON_T_NAME: 'ok', MESHMON_T_TOKEN: 'secret-1', MESHMON_T_TOKEN_FILE: '/f' },
      table,
      noFiles,
    );
    const missing = readSettings(
      { MESHMON_T_NAME: 'ok', MESHMON_T_TOKEN_FILE: '/nowhere' },
      table,
      noFiles,
    );
    const bad = readSettings({ MESHMON_T_NAME: 'ok', MESHMON_T_TOKEN: 'short 1' }, table, noFiles);

    expect(both.problems).toEqual([
      {
        field: 'MESHMON_T_TOKEN_FILE',
        rule: 'cannot be set together with MESHMON_T_TOKEN (set one of them)',
      },
    ]);
    expect(missing.problems).toEqual([
      { field: 'MESHMON_T_TOKEN_FILE', rule: 'must name a readable file (ENOENT: "/nowhere")' },
    ]);
    expect(bad.problems).toEqual([
      { field: 'MESHMON_T_TOKEN', rule: 'must be 8 or more characters without spaces' },
    ]);
    expect(JSON.stringify([both, missing, bad].map((read) => read.problems))).not.toMatch(
      /secret-1|short 1/,
    );
  });
});

describe(inTableOrder.name, () => {
  it('in table order - a check across settings is listed where its variable is', () => {
    const ordered = inTableOrder(table, [
      { field: 'MESHMON_T_TOOL', rule: 'a' },
      { field: 'MESHMON_T_PORT', rule: 'b' },
      { field: 'SOMETHING_ELSE', rule: 'c' },
      { field: 'MESHMON_T_TOKEN_FILE', rule: 'd' },
    ]);

    expect(ordered.map((problem) => problem.rule)).toEqual(['b', 'a', 'd', 'c']);
  });
});

describe('SharedSettings', () => {
  it('shared settings - every service reads the cluster, node and address by one rule', () => {
    const table = {
      cluster: SharedSettings.CLUSTER,
      node: SharedSettings.NODE,
      address: SharedSettings.address({ families: [4], required: true }),
    };

    const good = readSettings(
      { MESHMON_CLUSTER: 'lab', MESHMON_NODE: 'worker-1.example', MESHMON_ADDRESS: '10.0.0.2' },
      table,
      noFiles,
    );
    const bad = readSettings(
      { MESHMON_CLUSTER: 'a.b', MESHMON_NODE: '-x', MESHMON_ADDRESS: '::1' },
      table,
      noFiles,
    );

    expect(good.values).toEqual({ cluster: 'lab', node: 'worker-1_example', address: '10.0.0.2' });
    expect(bad.problems.map((problem) => problem.field)).toEqual([
      'MESHMON_CLUSTER',
      'MESHMON_NODE',
      'MESHMON_ADDRESS',
    ]);
    expect(bad.problems[2]?.rule).toBe('must be an IPv4 address (got "::1")');
  });

  it.each([
    ['nats://h', 4222],
    ['redis://h', 6379],
    ['http://h', 8086],
    ['https://h', 8086],
    ['http://h:9', 9],
  ])('shared settings - the port of %s is %d', (url, port) => {
    expect(SharedSettings.portOf(url)).toBe(port);
  });
});
