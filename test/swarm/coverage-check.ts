import { pollUntil } from '../support/poll-until.js';
import {
  AGENTS,
  BOUNDS,
  E2eFailure,
  PORTS,
  STACK,
  figure,
  minutes,
  say,
  sayError,
  secondsBetween,
} from './e2e-settings.js';
import type { GatewayClient } from './gateway-client.js';
import {
  coverageSeconds,
  storedConflicts,
  storedResults,
  uncoveredPairs,
} from './influx-results.js';
import { diagnoseService } from './stack-readiness.js';

const INFLUX_URL = `http://127.0.0.1:${PORTS.MESHMON_INFLUX_PORT}`;
const DATABASE = 'meshmon';

/**
 * Through the gateway: the token is required and every node agent is seen; then CPS is
 * started, and InfluxDB must hold a good result for every ordered pair, tagged swarm,
 * with no conflict among the measurements that held leases.
 */
export async function measureAndCheck(gateway: GatewayClient): Promise<void> {
  const unauthorised = await gateway.statusWithoutToken('/api/v1/nodes');
  if (unauthorised !== 401)
    throw new E2eFailure(`the gateway answered ${unauthorised} without the token`);
  const expected = Array.from({ length: AGENTS }, (_, index) => `node${index + 1}`);
  const nodes = await pollUntil(
    'the gateway to see every node',
    async () => {
      const seen = await gateway.nodes();
      return expected.every((node) => seen.includes(node)) ? seen : undefined;
    },
    BOUNDS.nodesSeen,
    2_000,
  ).catch(() => undefined);
  if (!nodes) {
    const within = minutes(BOUNDS.nodesSeen);
    throw new E2eFailure(`the gateway did not see ${expected.join(', ')} within ${within}`);
  }

  const run = await gateway.startScheduler('cps');
  figure('CPS run', `${run.runId} started through the gateway`);
  let shown = '';
  const results = await pollUntil(
    'a stored result for every ordered pair',
    async () => {
      const stored = await storedResults(INFLUX_URL, DATABASE);
      const uncovered = uncoveredPairs(stored, expected, run.requestedAtMs);
      const line = `${stored.length} results stored, pairs still to cover: ${uncovered.join(' ') || 'none'}`;
      if (line !== shown) say(line);
      shown = line;
      return uncovered.length === 0 ? stored : undefined;
    },
    BOUNDS.coverage,
    3_000,
  ).catch(() => undefined);
  if (!results) {
    for (const service of ['monitor', 'sensor', 'result-sink']) {
      sayError(await diagnoseService(`${STACK}_${service}`));
    }
    throw new E2eFailure(
      `not every ordered pair had a stored result within ${minutes(BOUNDS.coverage)}`,
    );
  }
  figure(
    'full coverage',
    `${secondsBetween(run.requestedAtMs, Date.now())} s after the start order (last pair's first result ended at ${coverageSeconds(results, expected, run.requestedAtMs).toFixed(1)} s)`,
  );
  const good = results.filter((result) => result.ok).length;
  const codes = results.flatMap((result) => (result.ok ? [] : [result.errorCode ?? '?']));
  const why = codes.length === 0 ? '' : `: ${codes.join(', ')}`;
  figure(
    'results',
    `${results.length} stored (${good} good, ${codes.length} failed${why}) for ${expected.length * (expected.length - 1)} ordered pairs`,
  );
  const orchestrators = [...new Set(results.map((result) => result.orchestrator))];
  if (orchestrators.join() !== 'swarm') {
    throw new E2eFailure(
      `stored results are tagged orchestrator=${orchestrators.join(',')}, not swarm`,
    );
  }
  const conflicts = storedConflicts(results);
  figure(
    'conflicts',
    `${conflicts.conflicts} among ${conflicts.measurements} measurements that held leases`,
  );
  if (conflicts.conflicts > 0) {
    throw new E2eFailure(`conflicts: ${JSON.stringify(conflicts.listed.slice(0, 3))}`);
  }
}
