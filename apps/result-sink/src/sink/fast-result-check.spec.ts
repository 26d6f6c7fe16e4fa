import fc from 'fast-check';
import {
  decodeMeasurementResult,
  SAMPLE_FAILED_RESULT,
  SAMPLE_MEASURED_RESULT,
  type MeasurementResult,
} from '@meshmon/contracts';
import { isSurelyValidResult } from './fast-result-check.js';

const measured: MeasurementResult = SAMPLE_MEASURED_RESULT;

const failed: MeasurementResult = {
  ...SAMPLE_FAILED_RESULT,
  parameters: { seconds: 1.5, protocol: 'udp', udpBitrate: '100M' },
  cpu: { clientPercent: 0, serverPercent: 0 },
  error: { code: 'probe-timeout', message: 'killed' },
};

type Json = Record<string, unknown>;

/** Every path to a value in the object, e.g. ['throughput', 'bytes']. */
function pathsOf(value: Json, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, key];
    return typeof child === 'object' && child !== null && !Array.isArray(child)
      ? [path, ...pathsOf(child as Json, path)]
      : [path];
  });
}

/** Values near every rule's edges, plus arbitrary JSON. */
const edgeValue = fc.oneof(
  fc.constantFrom(
    null,
    0,
    -0,
    -1,
    1,
    0.5,
    100,
    100.5,
    2 ** 53,
    2 ** 53 - 1,
    1e308,
    '',
    'x',
    'n1',
    'a.b',
    'Lab',
    'lab',
    'tcp',
    'udp',
    '100M',
    '1.5G',
    'fast',
    'cps',
    'tts',
    'iperf3-udp',
    'probe-timeout',
    'Bad_Code',
    'x'.repeat(129),
    'x'.repeat(2001),
    'with space',
    true,
    false,
    {},
    [],
    [1],
    { minMs: 1 },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

type Mutation =
  | { kind: 'set'; path: number; value: unknown }
  | { kind: 'delete'; path: number }
  | { kind: 'add'; path: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    path: fc.noBias(fc.nat({ max: 10_000 })),
    value: edgeValue,
  }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.noBias(fc.nat({ max: 10_000 })) }),
  fc.record({
    kind: fc.constant('add' as const),
    path: fc.noBias(fc.nat({ max: 10_000 })),
    key: fc.constantFrom('extra', '__proto__', 'constructor', 'udpBitrate', 'error', 'rtt'),
    value: edgeValue,
  }),
);

function mutate(base: MeasurementResult, mutations: Mutation[]): string {
  const copy = structuredClone(base) as unknown as Json;
  for (const change of mutations) {
    const paths = pathsOf(copy);
    if (paths.length === 0) break;
    const path = paths[change.path % paths.length];
    let parent: Json = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Json;
    const last = path[path.length - 1];
    if (change.kind === 'set') parent[last] = change.value;
    else if (change.kind === 'delete') delete parent[last];
    else {
      const target = (
        typeof parent[last] === 'object' && parent[last] !== null ? parent[last] : parent
      ) as Json;
      Object.defineProperty(target, change.key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return JSON.stringify(copy);
}

describe(isSurelyValidResult.name, () => {
  it('accepts valid measured and failed results', () => {
    expect(isSurelyValidResult(measured)).toBe(true);
    expect(isSurelyValidResult(failed)).toBe(true);
    expect(
      isSurelyValidResult(
        JSON.parse(
          JSON.stringify({ ...failed, throughput: measured.throughput, rtt: measured.rtt }),
        ),
      ),
    ).toBe(true);
  });

  it('agrees with the contract decoder on thousands of mutated results', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(measured, failed),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (base, mutations) => {
          const text = mutate(base, mutations);
          expect(isSurelyValidResult(JSON.parse(text))).toBe(decodeMeasurementResult(text).ok);
        },
      ),
      { numRuns: 5000, seed: 20_241_104 },
    );
  });

  it('refuses what is not an object at all', () => {
    for (const value of [null, undefined, 1, 'x', [], [measured]]) {
      expect(isSurelyValidResult(value)).toBe(false);
    }
  });
});
