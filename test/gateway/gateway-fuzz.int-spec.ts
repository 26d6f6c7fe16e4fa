/**
 * Every route of the gateway's API, taken from its own OpenAPI document (so a new route is
 * fuzzed without anyone adding it here), against property-based junk: path parameters,
 * query strings, bodies (JSON of any shape, text, bytes that are not UTF-8, oversized) and
 * content types. Whatever arrives, the answer is never a 5xx, and an error is the API's
 * error shape naming its status, code and message; the gateway answers afterwards.
 */
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { HARNESS_TOKEN, knowNodes, startHarness, type Harness } from './gateway-harness.js';

jest.setTimeout(180_000);

/** Inputs per route; the whole API gets this many times its route count. */
const RUNS_PER_ROUTE = 60;
/** Junk is answered at once; a request still open after this is a finding. */
const ANSWER_WITHIN_MS = 10_000;

interface Route {
  readonly method: string;
  /** OpenAPI's path, with `{name}` for each parameter. */
  readonly path: string;
}

const NASTY = [
  '',
  ' ',
  '..',
  '%00',
  '%ff%fe',
  '%2e%2e%2f',
  'n1.n2',
  '*',
  '>',
  'x'.repeat(2000),
  '\u202e',
  '💥',
];
const segment = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
);
const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('monitor', 'sensor', 'limit', 'since', 'run', 'type'), fc.string()),
      fc.oneof(segment, fc.integer().map(String), fc.constant('')),
    ),
    { maxLength: 5 },
  )
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}`,
  );
const body: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Uint8Array.from([0xff, 0xfe, ...bytes])),
  fc.constant(JSON.stringify({ monitor: 'x'.repeat(70_000) })),
  fc.constant('{'.repeat(3000)),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  undefined,
);

function errorOf(text: string): Record<string, unknown> | null {
  try {
    return (JSON.parse(text) as { error?: Record<string, unknown> }).error ?? null;
  } catch {
    return null;
  }
}

describe('gateway fuzz', () => {
  let harness: Harness;
  let routes: Route[];
  const statuses = new Map<number, number>();
  let tried = 0;
  /** Every answer that broke the rule, with what was sent: all of them, not the first. */
  const findings: string[] = [];

  beforeAll(async () => {
    harness = await startHarness('gw-fuzz');
    await knowNodes(harness, ['n1', 'n2']);
    const docs = await harness.call('GET', '/docs-json');
    const paths = docs.json.paths as Record<string, Record<string, unknown>>;
    routes = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
      );
  });

  afterAll(async () => {
    // The figure for the README: how many inputs went in and what came back.
    process.stdout.write(
      `gateway fuzz: ${tried} inputs on ${routes?.length ?? 0} routes; statuses ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status} x${n}`)
        .join(', ')}\n`,
    );
    await harness?.close();
  });

  it('fuzz - the OpenAPI document names the API’s routes', () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/scheduler/start',
        'POST /api/v1/intents',
        'POST /api/v1/measurements',
        'GET /api/v1/results',
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  it('fuzz - every route answers junk with a 2xx or 4xx, errors in the API’s shape', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 4, maxLength: 4 }),
          query,
          body,
          contentType,
          async (segments, queryString, payload, type) => {
            let n = 0;
            const path = route.path.replace(/\{[^}]+\}/g, () => segments[n++ % segments.length]);
            const response = await fetch(`${harness.gateway.url}${path}${queryString}`, {
              method: route.method,
              headers: {
                authorization: `Bearer ${HARNESS_TOKEN}`,
                ...(type === undefined ? {} : { 'content-type': type }),
              },
              body: route.method === 'GET' || route.method === 'DELETE' ? undefined : payload,
              signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
            }).catch((error: unknown) => {
              throw new Error(
                `${route.method} ${path}${queryString} with ${String(payload).slice(0, 200)}: ${String(error)}`,
              );
            });
            // A live stream (GET /api/v1/events) never ends: its opening is the answer.
            const streaming = response.headers.get('content-type')?.startsWith('text/event-stream');
            if (streaming) await response.body?.cancel();
            const text = streaming ? '' : await response.text();
            tried += 1;
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            const where = `${route.method} ${path.slice(0, 120)}${queryString.slice(0, 80)} (${type ?? 'no type'}, ${String(payload).slice(0, 40)})`;
            if (response.status >= 500)
              findings.push(`${where}: ${response.status} ${text.slice(0, 300)}`);
            else if (response.status >= 400) {
              const error = errorOf(text);
              const shaped =
                error?.status === response.status &&
                typeof error.code === 'string' &&
                typeof error.message === 'string';
              if (!shaped)
                findings.push(
                  `${where}: ${response.status} not in the error shape: ${text.slice(0, 300)}`,
                );
            }
            return true;
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    expect(findings).toEqual([]);
    expect(tried).toBe(routes.length * RUNS_PER_ROUTE);
    expect((await harness.call('GET', '/health/live')).status).toBe(200);
    expect((await harness.call('GET', '/api/v1/nodes')).status).toBe(200);
  });
});
