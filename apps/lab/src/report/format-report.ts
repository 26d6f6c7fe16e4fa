import type { LabReport } from './lab-report.js';
import type { PairMatrix } from '@meshmon/analysis';
import type { SimulatorPrediction } from './simulator-prediction.js';

const fixed = (value: number | null, digits = 2): string =>
  value === null ? '-' : value.toFixed(digits);

/** The report as a person reads it: the figures, then the two matrices, then who stands out. */
export function formatLabReport(report: LabReport, prediction: SimulatorPrediction | null): string {
  const ratio =
    prediction?.fullCoverageSeconds && report.fullCoverageSeconds !== null
      ? report.fullCoverageSeconds / prediction.fullCoverageSeconds
      : null;
  const lines = [
    `algorithm                 ${report.algorithm}`,
    `nodes / pairs             ${report.nodes} / ${report.pairs}`,
    `measurements              ${report.measurements} (${report.failedMeasurements} failed)`,
    `time to full coverage     ${report.fullCoverageSeconds === null ? `not reached (${(report.coveredFraction * 100).toFixed(0)} % of pairs)` : `${fixed(report.fullCoverageSeconds, 1)} s`}`,
    `floor                     ${fixed(report.floorSeconds, 1)} s (N(N-1) probes of ${report.probeSeconds} s, N/2 at a time)`,
    `simulator predicts        ${prediction?.fullCoverageSeconds ? `${fixed(prediction.fullCoverageSeconds, 1)} s (mean of ${prediction.seeds} seeds)${ratio === null ? '' : `, lab/simulator ${fixed(ratio)}`}` : '-'}`,
    `mean event time           ${fixed(report.meanEventSeconds, 3)} s`,
    `mean event overhead       ${fixed(report.meanEventOverheadSeconds, 3)} s (event time minus probe time)`,
    `mean wait                 ${fixed(report.meanWaitSeconds, 1)} s`,
    `conflicts                 ${report.conflicts}`,
    '',
    'throughput (Mbit/s), monitor (row) -> sensor (column)',
    formatMatrix(report.throughputBps, (value) => (value / 1e6).toFixed(0)),
    '',
    'RTT (ms), monitor (row) -> sensor (column)',
    formatMatrix(report.rttMs, (value) => value.toFixed(3)),
    '',
    report.outlierDetails.length === 0
      ? 'outliers                  none'
      : `outliers                  ${report.outlierDetails
          .map((o) =>
            o.metric === 'throughput'
              ? `${o.node} (throughput ${(o.nodeMedian / 1e6).toFixed(0)} vs typical ${(o.clusterMedian / 1e6).toFixed(0)} Mbit/s)`
              : `${o.node} (RTT ${o.nodeMedian.toFixed(3)} vs typical ${o.clusterMedian.toFixed(3)} ms)`,
          )
          .join(', ')}`,
  ];
  // First, above every figure: after such a change the figures are not of the lab's run.
  for (const change of [...report.outsideSchedulerChanges].reverse()) {
    lines.unshift(
      change.change === 'stopped'
        ? `CHANGED FROM OUTSIDE      the scheduler was stopped at ${fixed(change.atSeconds, 1)} s (run ${change.runId}): the figures after that are not of the lab's run`
        : `CHANGED FROM OUTSIDE      another run was started at ${fixed(change.atSeconds, 1)} s (run ${change.runId}${change.algorithm ? `, ${change.algorithm}` : ''}): the figures after that are not of the lab's run`,
    );
  }
  for (const conflict of report.conflictReport.listed) {
    lines.push(
      `conflict on ${conflict.node}: ${JSON.stringify(conflict.first)} overlaps ${JSON.stringify(conflict.second)}`,
    );
  }
  return lines.join('\n');
}

function formatMatrix(matrix: PairMatrix, show: (value: number) => string): string {
  const names = [
    ...new Set([
      ...Object.keys(matrix),
      ...Object.values(matrix).flatMap((row) => Object.keys(row)),
    ]),
  ].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (names.length === 0) return '  (no measurements)';
  const width = Math.max(6, ...names.map((name) => name.length)) + 2;
  const pad = (text: string) => text.padStart(width);
  const header = pad('') + names.map(pad).join('');
  const rows = names.map(
    (monitor) =>
      pad(monitor) +
      names
        .map((sensor) => {
          const value = matrix[monitor]?.[sensor];
          return pad(monitor === sensor ? '·' : value === undefined ? '-' : show(value));
        })
        .join(''),
  );
  return [header, ...rows].join('\n');
}
