import { compareGroups } from './comparisons.js';
import type { CompareStore } from './compare-store.js';
import type { AgreementSummary, CompareReport } from './report-types.js';
import {
  agreementValues,
  windowValues,
  type AgreementValue,
  type MeasuredWindow,
} from './window-values.js';

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
const maxAbs = (values: readonly number[]) =>
  values.length === 0 ? null : Math.max(...values.map(Math.abs));

/** Per orchestrator and service: how far the self-sampler and the cgroup agreed. */
export function summariseAgreement(values: readonly AgreementValue[]): AgreementSummary[] {
  const keys = [...new Set(values.map((value) => `${value.orchestrator}\u0000${value.service}`))];
  return keys.sort().map((key) => {
    const [orchestrator, service] = key.split('\u0000');
    const mine = values.filter((v) => v.orchestrator === orchestrator && v.service === service);
    const cpu = mine.map((v) => v.cpuDeviation).filter((v): v is number => v !== null);
    const memory = mine.map((v) => v.memoryDeviation).filter((v): v is number => v !== null);
    return {
      orchestrator,
      service,
      n: mine.length,
      cpuMeanAbsDeviation: mean(cpu.map(Math.abs)),
      cpuMaxAbsDeviation: maxAbs(cpu),
      memoryMeanAbsDeviation: mean(memory.map(Math.abs)),
      memoryMaxAbsDeviation: maxAbs(memory),
    };
  });
}

/**
 * The whole report of a run from what InfluxDB holds of it. A live run passes the windows
 * it measured, so that its report and the one --report-only rebuilds from the stored
 * windows can be compared (they must be equal).
 */
export async function buildReport(
  store: CompareStore,
  run: string,
  measured?: readonly MeasuredWindow[],
): Promise<CompareReport> {
  const record = await store.loadRun(run);
  const windows = [...(measured ?? (await store.loadWindows(run)))].sort(
    (a, b) => a.orchestrator.localeCompare(b.orchestrator) || a.index - b.index,
  );
  const samples = await store.loadSamples(run);
  const probes = await store.loadProbes(run);
  const compared = record.orchestrators
    .filter((entry) => entry.status === 'compared')
    .map((entry) => entry.name);
  return {
    run,
    startedAtMs: record.startedAtMs,
    scenario: record.scenario,
    machine: record.machine,
    orchestrators: record.orchestrators,
    windows,
    comparisons: compareGroups(windowValues(samples, windows, probes), compared, {
      cores: record.machine.cores,
      memoryMiB: record.machine.memoryMiB,
    }),
    agreement: summariseAgreement(agreementValues(samples, windows)),
  };
}
