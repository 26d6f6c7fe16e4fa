import { DEFAULT_LINK_RATE, parseLabArgs, type LabArgs } from './lab-args.js';

/** A command line written as one string, for brevity; no value here contains a blank. */
const words = (line: string): string[] => line.split(' ');

/** The four flags without a default. */
const REQUIRED = words('--nodes 4 --algorithm cps --duration 120 --probe-seconds 5');

function argsOf(argv: readonly string[], maxNodes?: number): LabArgs {
  const command = parseLabArgs(argv, maxNodes);
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`);
  return command.args;
}

describe(parseLabArgs.name, () => {
  it('lab args - reads a full command line', () => {
    const sut = parseLabArgs([
      ...['--nodes', '4', '--algorithm', 'tts', '--duration', '90.5', '--probe-seconds', '3'],
      ...['--link-rate', '1gbit', '--slow-node', 'n3:50mbit', '--slow-node', 'n5:800kbit'],
      ...['--busy-node', 'n2', '--busy-node', 'n5', '--join', 'n5@30', '--join', 'n6@12.5'],
      ...['--until-covered', '--events-out', '/tmp/events.jsonl', '--json', '--seed', '9'],
      ...['--param', 'retryWaitMs=1500', '--param', 'cps.listeningMs=2000'],
      ...['--gateway-port', '0', '--discovery', '--influx-url', 'http://127.0.0.1:18086'],
      ...['--influx-database', 'lab_test'],
    ]);

    expect(sut).toEqual({
      kind: 'run',
      args: {
        nodes: 4,
        algorithm: 'tts',
        durationSeconds: 90.5,
        probeSeconds: 3,
        linkRate: '1gbit',
        slowNodes: new Map([
          ['n3', '50mbit'],
          ['n5', '800kbit'],
        ]),
        busyNodes: new Set(['n2', 'n5']),
        joins: [
          { node: 'n5', atSeconds: 30 },
          { node: 'n6', atSeconds: 12.5 },
        ],
        untilCovered: true,
        eventsOut: '/tmp/events.jsonl',
        json: true,
        seed: 9,
        params: { retryWaitMs: 1500, 'cps.listeningMs': 2000 },
        suite: {
          gatewayPort: 0,
          influxUrl: 'http://127.0.0.1:18086',
          influxDatabase: 'lab_test',
          discovery: true,
        },
      },
    });
  });

  it('lab args - fills the defaults of the optional flags', () => {
    expect(argsOf(REQUIRED)).toEqual({
      nodes: 4,
      algorithm: 'cps',
      durationSeconds: 120,
      probeSeconds: 5,
      linkRate: DEFAULT_LINK_RATE,
      slowNodes: new Map(),
      busyNodes: new Set(),
      joins: [],
      untilCovered: false,
      eventsOut: null,
      json: false,
      seed: 1,
      params: {},
      suite: {
        gatewayPort: 8080,
        influxUrl: 'http://127.0.0.1:8086',
        influxDatabase: 'meshmon_lab',
        discovery: false,
      },
    });
  });

  it('lab args - --agents-only runs no suite, and refuses the suite flags beside it', () => {
    expect(argsOf([...REQUIRED, '--agents-only']).suite).toBeNull();
    expect(() => parseLabArgs([...REQUIRED, '--agents-only', '--discovery'])).toThrow(
      '--discovery needs the whole suite (drop --agents-only)',
    );
  });

  it('lab args - --help and -h ask for help, whatever else is given', () => {
    expect(parseLabArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseLabArgs(['--nodes', '999', '-h'])).toEqual({ kind: 'help' });
  });

  it('lab args - the last value of a single-valued flag wins', () => {
    const sut = argsOf([
      ...REQUIRED,
      ...words('--nodes 6 --algorithm rr --seed 3 --seed 4'),
      ...words('--link-rate 100mbit --link-rate 200mbit --events-out a --events-out b'),
    ]);

    expect([sut.nodes, sut.algorithm, sut.seed, sut.linkRate, sut.eventsOut]).toEqual([
      6,
      'rr',
      4,
      '200mbit',
      'b',
    ]);
  });

  it('lab args - only the last value is checked, so a wrapper default can be overridden', () => {
    expect(argsOf([...REQUIRED, '--seed', 'nope', '--seed', '5']).seed).toBe(5);
  });

  it('lab args - a slow node may be one that joins later', () => {
    const sut = argsOf([...REQUIRED, '--join', 'n7@10', '--slow-node', 'n7:10mbit']);

    expect(sut.slowNodes).toEqual(new Map([['n7', '10mbit']]));
  });

  it('lab args - accepts a join up to the largest cluster, before the end', () => {
    const sut = argsOf([...REQUIRED, ...words('--nodes 7 --duration 60 --join n8@59.9')], 8);

    expect(sut.joins).toEqual([{ node: 'n8', atSeconds: 59.9 }]);
  });
});
