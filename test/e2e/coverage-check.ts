import { leasedConflicts } from '@meshmon/analysis';
import { influxAuthorization, storedResults, type InfluxCredentials } from '@meshmon/influx-store';
import { pollUntil } from '../support/poll-until.js';
import {
  E2eFailure,
  MINUTE,
  figure,
  minutes,
  say,
  sayError,
  secondsBetween,
} from './e2e-report.js';
import { coverageSeconds, uncoveredPairs } from './influx-results.js';
import type { E2eDeployment, E2eOrchestrator } from './orchestrator.js';

/**
 * Bounds of the waits. On Swarm here, 3 agents: all seen at once, full coverage (6 pairs,
 * 10 s probes) in 114 s on a quiet machine and 247 s with other test suites loading both
 * cores. CPS covers N nodes in about 1.1 N + 0.7 minutes at 13.45 s per probe (the
 * thesis's line), so 2 minutes per node leaves a margin at every size.
 */
export const CHECK_BOUNDS = { nodesSeen: MINUTE, coveragePerNode: 2 * MINUTE };

/**
 * The deployment's InfluxDB lets nobody in without a login and the sink's writer read
 * nothing (its entrypoint provisioned both); the reader's reads are the checks' own.
 */
async function checkInfluxLogins(deployment: E2eDeployment): Promise<void> {
  const { influxUrl, database, influxWriter } = deployment;
  const anonymous = await influxStatus(`${influxUrl}/query?q=SHOW+DATABASES`, null);
  const anonymousWrite = await influxStatus(`${influxUrl}/write?db=${database}`, null, 'x v=1');
  if (anonymous.status !== 401 || anonymousWrite.status !== 401)
    throw new E2eFailure(
      `InfluxDB answered a query without a login with ${anonymous.status} and a write with ${anonymousWrite.status}, not 401`,
    );
  const writerRead = await influxStatus(
    `${influxUrl}/query?db=${database}&q=${encodeURIComponent('SELECT * FROM throughput')}`,
    influxWriter,
  );
  if (!writerRead.body.includes('not authorized'))
    throw new E2eFailure(`InfluxDB let the sink's writer read: ${writerRead.body.slice(0, 200)}`);
  figure('InfluxDB logins', 'no login refused (401), the writer may not read');
}

async function influxStatus(
  url: string,
  login: InfluxCredentials | null,
  body?: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: login ? { authorization: influxAuthorization(login) } : {},
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * Through the gateway: the token is required and every node agent is seen; then CPS is
 * started, and InfluxDB must hold a good result for every ordered pair, tagged with the
 * orchestrator's name, with no conflict among the measurements that held leases.
 */
export async function measureAndCheck(
  deployment: E2eDeployment,
  orchestrator: Pick<E2eOrchestrator, 'name' | 'diagnose'>,
): Promise<void> {
  const { gateway, influxUrl, database, influxReader, nodes: expected } = deployment;
  if (expected.length < 2) {
    throw new E2eFailure(
      `${expected.length} node agent(s) (${expected.join(', ')}): a pair needs at least 2 nodes`,
    );
  }
  const unauthorised = await gateway.statusWithoutToken('/api/v1/nodes');
  if (unauthorised !== 401)
    throw new E2eFailure(`the gateway answered ${unauthorised} without the token`);
  await checkInfluxLogins(deployment);
  const nodes = await pollUntil(
    'the gateway to see every node',
    async () => {
      const seen = await gateway.nodes();
      return expected.every((node) => seen.includes(node)) ? seen : undefined;
    },
    CHECK_BOUNDS.nodesSeen,
    2_000,
  ).catch(() => undefined);
  if (!nodes) {
    const within = minutes(CHECK_BOUNDS.nodesSeen);
    throw new E2eFailure(`the gateway did not see ${expected.join(', ')} within ${within}`);
  }

  const coverageBound = CHECK_BOUNDS.coveragePerNode * expected.length;
  const run = await gateway.startScheduler('cps');
  figure('CPS run', `${run.runId} started through the gateway`);
  let shown = '';
  const results = await pollUntil(
    'a stored result for every ordered pair',
    async () => {
      const stored = await storedResults(influxUrl, database, influxReader);
      const uncovered = uncoveredPairs(stored, expected, run.requestedAtMs);
      const line = `${stored.length} results stored, pairs still to cover: ${uncovered.join(' ') || 'none'}`;
      if (line !== shown) say(line);
      shown = line;
      return uncovered.length === 0 ? stored : undefined;
    },
    coverageBound,
    3_000,
  ).catch(() => undefined);
  if (!results) {
    for (const text of await orchestrator.diagnose()) sayError(text);
    throw new E2eFailure(
      `not every ordered pair had a stored result within ${minutes(coverageBound)}`,
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
  if (orchestrators.join() !== orchestrator.name) {
    throw new E2eFailure(
      `stored results are tagged orchestrator=${orchestrators.join(',')}, not ${orchestrator.name}`,
    );
  }
  const conflicts = leasedConflicts(results);
  figure(
    'conflicts',
    `${conflicts.conflicts} among ${conflicts.measurements} measurements that held leases`,
  );
  if (conflicts.conflicts > 0) {
    throw new E2eFailure(`conflicts: ${JSON.stringify(conflicts.listed.slice(0, 3))}`);
  }
}
