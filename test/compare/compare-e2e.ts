/**
 * The comparison end to end, short (`npm run test:compare`, part of scripts/test.sh): the
 * real `npm run compare` over process, container, swarm and kubernetes with a small
 * scenario (2 nodes, one block of 3 windows of 6 s each), then checks of its report and
 * of the same report rebuilt by `--report-only` from InfluxDB alone. Figures of a real
 * comparison come from the README's run, not from this one.
 *
 * A script rather than a jest test, as test:swarm: one ordered sequence that starts
 * daemons and deployments and must undo them; the compare command does its own clean-up.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVICE_NAMES } from '@meshmon/contracts';
import type { CompareReport } from '../../apps/compare/src/compare/report-types.js';

const REPO = resolve(import.meta.dirname, '../..');
const OUT = join(REPO, '.tmp/compare-e2e');
const GROUPS = ['process', 'container', 'swarm'];
const say = (line: string) => process.stdout.write(`compare-e2e: ${line}\n`);

class CheckFailed extends Error {}

function check(condition: boolean, what: string): void {
  if (!condition) throw new CheckFailed(what);
}

/** Runs the compare command, its progress passed through; resolves with its last stdout line. */
function compare(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'apps/compare/src/compare-main.ts'), ...args],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0)
        return reject(new CheckFailed(`compare ${args.join(' ')} exited ${code ?? signal}`));
      resolvePromise(stdout.trim().split('\n').pop() ?? '');
    });
  });
}

function checkReport(report: CompareReport): void {
  const statuses = Object.fromEntries(report.orchestrators.map((o) => [o.name, o]));
  for (const group of GROUPS) check(statuses[group]?.status === 'compared', `${group} compared`);
  check(
    statuses.kubernetes?.status === 'skipped' &&
      /no cluster reachable/.test(statuses.kubernetes.reason ?? ''),
    'kubernetes skipped with "no cluster reachable"',
  );
  check(
    report.windows.length === 3 * GROUPS.length,
    `3 windows per group (got ${report.windows.length})`,
  );
  for (const service of SERVICE_NAMES) {
    const cpu = report.comparisons.find((c) => c.service === service && c.metric === 'cpuPercent');
    check(cpu !== undefined, `a CPU comparison of ${service}`);
    check(
      cpu!.groups.map((g) => g.orchestrator).join(',') === GROUPS.join(','),
      `${service}: CPU values from every group (got ${cpu!.groups.map((g) => g.orchestrator).join(',')}; ${cpu!.note ?? ''})`,
    );
    check(
      cpu!.groups.every((g) => g.n === 3 && g.values.every((v) => v > 0)),
      `${service}: 3 CPU values > 0 per group`,
    );
    check(
      cpu!.anova !== null && Number.isFinite(cpu!.anova.p),
      `${service}: an ANOVA of CPU (${cpu!.note ?? ''})`,
    );
    check(cpu!.tukey.length === 3, `${service}: 3 Tukey pairs`);
  }
  // Docker is up for the whole comparison, so its idle daemons show in the process group too.
  const daemons = report.comparisons.find(
    (c) => c.service === 'orchestrator' && c.metric === 'cpuPercent',
  );
  check(
    daemons?.groups.map((g) => g.orchestrator).join(',') === GROUPS.join(','),
    `the daemons sampled in every group (got ${daemons?.groups.map((g) => g.orchestrator).join(',')})`,
  );
  check(
    report.agreement.some((a) => a.orchestrator === 'container' && a.cpuMeanAbsDeviation !== null),
    'the self-sampler checked against a container cgroup',
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const line = await compare(
    [
      '--orchestrators',
      'process,container,swarm,kubernetes',
      '--scenario',
      join(REPO, 'test/compare/ci-scenario.json'),
      '--out',
      OUT,
      '--json',
    ],
    20 * 60_000,
  );
  const report = JSON.parse(line) as CompareReport;
  checkReport(report);
  const html = readFileSync(join(OUT, 'report.html'), 'utf8');
  const markdown = readFileSync(join(OUT, 'report.md'), 'utf8');
  for (const service of SERVICE_NAMES) {
    check(html.includes(`data-service="${service}"`), `the HTML report has ${service}`);
    check(markdown.includes(service), `the Markdown report has ${service}`);
  }
  const rebuilt = JSON.parse(
    await compare(
      ['--report-only', '--run', report.run, '--out', `${OUT}-rebuilt`, '--json'],
      120_000,
    ),
  ) as CompareReport;
  check(
    JSON.stringify(rebuilt.comparisons) === JSON.stringify(report.comparisons),
    'the report rebuilt from InfluxDB alone equals the live one',
  );
  const agreement = report.agreement
    .filter((a) => a.cpuMeanAbsDeviation !== null)
    .map((a) => `${a.orchestrator}/${a.service} cpu ${(100 * a.cpuMeanAbsDeviation!).toFixed(1)} %`)
    .join(', ');
  say(
    `PASS in ${((Date.now() - started) / 1000).toFixed(1)} s: run ${report.run}; agreement ${agreement}`,
  );
}

main().catch((error: unknown) => {
  say(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
