// Wires the dashboard: the live stream first, then the API refresh, so that no result
// falls between the first refresh's answer and the stream opening (the model keeps the
// newer of the two for each pair).
/* global document, setTimeout, clearTimeout, requestAnimationFrame */
import { adoptTokenFromHash, getJson, useToken } from './api.js';
import { renderCoverageChart } from './chart.js';
import { clock, mbps, ms } from './format.js';
import { Heatmap } from './heatmap.js';
import { connectLive } from './live.js';
import { ClusterModel } from './model.js';
import { renderNodesTable } from './nodes-table.js';
import { renderOutliers } from './outliers.js';
import { coveragePoints, renderCoverageSummary, renderScheduler } from './summary.js';

const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

adoptTokenFromHash();

const model = new ClusterModel();
const heatmaps = [
  new Heatmap($('throughput-heatmap'), $('throughput-legend'), {
    metric: 'throughput',
    label: 'Throughput in Mbit/s',
    unit: 'Mbit/s',
    valueOf: (pair) => pair.bitsPerSecond,
    format: (bitsPerSecond) => mbps(bitsPerSecond),
  }),
  new Heatmap($('rtt-heatmap'), $('rtt-legend'), {
    metric: 'rtt',
    label: 'Average round-trip time in ms',
    unit: 'ms',
    valueOf: (pair) => pair.rttMs,
    format: ms,
  }),
];
let lastCoverage = null;
const problems = new Map();

function showProblems() {
  const banner = $('banner');
  banner.hidden = problems.size === 0;
  banner.textContent = [...problems.values()].join(' · ');
}

function renderAll() {
  for (const heatmap of heatmaps) heatmap.render(model);
  renderNodesTable($('nodes').tBodies[0], model);
}

// A busy cluster sends events in bursts (every role switch, grant and expiry): rebuild the
// tables at most once per frame rather than once per event.
let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    renderAll();
  });
}

// ---- periodic refresh -----------------------------------------------------------------

const SOURCES = {
  scheduler: '/api/v1/scheduler',
  nodes: '/api/v1/nodes',
  pairs: '/api/v1/pairs',
  coverage: '/api/v1/coverage',
  throughput: '/api/v1/outliers?metric=throughput',
  rtt: '/api/v1/outliers?metric=rtt',
};

let refreshing = null;
let refreshTimer = null;

/** One refresh of every panel; concurrent calls share it, so refreshes never overlap. */
function refresh() {
  refreshing ??= runRefresh().finally(() => {
    refreshing = null;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, REFRESH_MS);
  });
  return refreshing;
}

async function runRefresh() {
  const names = Object.keys(SOURCES);
  const settled = await Promise.allSettled(names.map((name) => getJson(SOURCES[name])));
  const answers = {};
  names.forEach((name, i) => {
    const outcome = settled[i];
    if (outcome.status === 'fulfilled') {
      answers[name] = outcome.value;
      problems.delete(name);
    } else {
      problems.set(name, outcome.reason.message);
    }
  });
  // Each panel keeps its last picture when its own source failed.
  if (answers.coverage) lastCoverage = answers.coverage;
  if (answers.scheduler) renderScheduler(answers.scheduler, lastCoverage);
  if (answers.nodes) model.applyNodes(answers.nodes.nodes ?? []);
  if (answers.pairs) model.applyPairs(answers.pairs.pairs ?? []);
  renderAll();
  if (answers.coverage) renderCoverageSummary(lastCoverage);
  renderCoverageChart($('coverage-chart'), coveragePoints(lastCoverage));
  for (const metric of ['throughput', 'rtt']) {
    const failed = answers[metric] ? null : { message: problems.get(metric) };
    renderOutliers($(`outliers-${metric}`), metric, answers[metric], failed);
  }
  // The API refused the token (or there is none): ask for it rather than show empty panels.
  const refused = settled.some(
    (outcome) => outcome.status === 'rejected' && outcome.reason.status === 401,
  );
  $('token-form').hidden = !refused;
  showProblems();
  $('updated').textContent = `Updated ${clock(Date.now())}, every ${REFRESH_MS / 1000} s and live`;
}

// ---- live stream ----------------------------------------------------------------------

function setConnection(state) {
  const indicator = $('connection');
  indicator.dataset.state = state;
  const text = {
    connecting: 'connecting…',
    live: 'live',
    reconnecting: 'reconnecting…',
    disconnected: 'disconnected: reload the page',
  };
  $('connection-text').textContent = text[state] ?? state;
}

const live = connectLive({
  onStatus: setConnection,
  onProblem: (message) => {
    problems.set('events', message);
    showProblems();
  },
  // Events may have been missed while the stream was down: fetch everything again.
  onReconnected: () => void refresh(),
  onResult: (result) => {
    model.applyResult(result);
    for (const heatmap of heatmaps)
      heatmap.update(model, result.monitor, result.sensor, { flash: true });
    renderNodesTable($('nodes').tBodies[0], model);
  },
  onEvent: (message) => {
    const changed = model.applyEvent(message);
    if (changed === 'nodes' || changed === 'pairs') scheduleRender();
    if (changed === 'scheduler') void refresh();
  },
});

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  useToken($('token-input').value);
  $('token-input').value = '';
  $('token-form').hidden = true;
  live.reopen();
  // A refresh under way still carries the old token: refresh again once it is done.
  void (refreshing ?? Promise.resolve()).then(refresh);
});

void refresh();
