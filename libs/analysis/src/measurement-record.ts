/**
 * One measurement as it happened: who measured whom with which tool, and when (seconds on
 * any one clock). The simulator, the lab and the services all log this shape.
 */
export interface MeasurementRecord {
  readonly monitor: string;
  readonly sensor: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Defaults to iperf3, the heavy probe. */
  readonly tool?: ProbeTool;
}

export type ProbeTool = 'iperf3' | 'netperf' | 'traceroute' | 'ping';

/** Thesis Table 3: only two heavy probes conflict; ping and traceroute overlap anything. */
export function toolsConflict(a: ProbeTool, b: ProbeTool): boolean {
  const heavy = (tool: ProbeTool): boolean => tool === 'iperf3' || tool === 'netperf';
  return heavy(a) && heavy(b);
}
