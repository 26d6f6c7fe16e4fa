// The header: scheduler state and the coverage figures of the run in force.
/* global document */
import { decimal, duration, percent } from './format.js';

const set = (id, text) => {
  document.getElementById(id).textContent = text;
};

/**
 * `scheduler` is GET /api/v1/scheduler (state from Redis, "unknown" before any start
 * through the gateway); `coverage` names the run the services reported, which fills in
 * the algorithm and run when the scheduler record has none (a run started elsewhere).
 */
export function renderScheduler(scheduler, coverage) {
  const state = scheduler?.state ?? 'unknown';
  const dd = document.getElementById('scheduler-state');
  dd.dataset.state = state;
  dd.textContent = state;
  set('scheduler-algorithm', scheduler?.algorithm ?? coverage?.algorithm ?? '–');
  set('scheduler-run', scheduler?.runId ?? coverage?.runId ?? '–');
  const entries = Object.entries(scheduler?.params ?? {});
  const params = entries.length
    ? entries.map(([name, value]) => `${name}=${value}`).join(', ')
    : 'defaults';
  document.getElementById('scheduler-algorithm').title = `parameters: ${params}`;
}

/**
 * The chart's points: the gateway's samples (one every few seconds), from zero at the
 * run's start, to the current figure now, so the line always ends at the header's value.
 */
export function coveragePoints(coverage, nowMs = Date.now()) {
  if (!coverage || !Number.isFinite(coverage.startedAtMs)) return [];
  const history = Array.isArray(coverage.history) ? coverage.history : [];
  const points = [];
  if (!history.length || history[0].atMs > coverage.startedAtMs) {
    points.push({ atMs: coverage.startedAtMs, coverage: 0 });
  }
  points.push(...history);
  if (Number.isFinite(coverage.coverage)) points.push({ atMs: nowMs, coverage: coverage.coverage });
  return points;
}

export function renderCoverageSummary(coverage) {
  const value = document.getElementById('coverage-value');
  value.textContent = percent(coverage?.coverage);
  if (coverage && Number.isFinite(coverage.coverage))
    value.dataset.value = String(coverage.coverage);
  set(
    'coverage-full',
    coverage?.timeToFullCoverageMs == null ? 'not yet' : duration(coverage.timeToFullCoverageMs),
  );
  set('coverage-wait', duration(coverage?.meanWaitMs));
  set('coverage-fairness', decimal(coverage?.fairness));
  const detail = coverage
    ? `${coverage.pairsMeasured ?? 0} of ${coverage.pairsInScope ?? 0} pairs in scope measured, ` +
      `${coverage.nodes ?? 0} nodes`
    : '';
  set('coverage-detail', detail);
}
