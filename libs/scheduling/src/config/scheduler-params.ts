import type { ConfigProblem, SchedulerConfigOverrides } from './scheduler-config.js';

/**
 * Scheduler parameters as `name=value` strings, the form the simulator's and the lab's
 * `--param` flags and the services' MESHMON_SCHEDULER_PARAMS take. One parser, so a name
 * means the same everywhere.
 */
export const SCHEDULER_PARAM_PATHS = [
  'eventMs',
  'lockMs',
  'graceMs',
  'retryWaitMs',
  'denialBackoffMs',
  'maxRequestsPerRound',
  'pingTimeoutMs',
  'pingAttempts',
  'livenessFailuresToRemove',
  'livenessIntervalMs',
  'livenessIntervalPerMemberMs',
  'cps.listeningMs',
  'cps.roleDuration.ms',
  'cps.roleDuration.minEventsPerNode',
  'cps.roleDuration.maxEventsPerNode',
  'cps.roleDuration.minEvents',
  'crs.periodMs',
  'crs.threshold',
  'rr.tokenAckTimeoutMs',
  'rr.tokenPassAttempts',
  'tts.slotWaitMs',
  'tts.requestRetryMs',
] as const;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses every `name=value`; the values' ranges are checked later by validateSchedulerConfig. */
export function parseSchedulerParams(
  params: readonly string[],
): { overrides: SchedulerConfigOverrides } | { problem: ConfigProblem } {
  const overrides: Record<string, Record<string, unknown> | number> = {};
  for (const param of params) {
    const eq = param.indexOf('=');
    const path = eq > 0 ? param.slice(0, eq).trim() : '';
    const raw = eq > 0 ? param.slice(eq + 1) : '';
    if (!(SCHEDULER_PARAM_PATHS as readonly string[]).includes(path)) {
      return {
        problem: {
          field: path || param,
          rule: `must be <name>=<number> with name one of ${SCHEDULER_PARAM_PATHS.join(', ')} (got "${param}")`,
        },
      };
    }
    if (!NUMBER.test(raw.trim()))
      return { problem: { field: path, rule: `${path} must be a number (got "${raw}")` } };
    const value = Number(raw);
    const parts = path.split('.');
    if (parts.length === 1) overrides[path] = value;
    else if (parts[0] === 'cps' && parts[1] === 'roleDuration') {
      const cps = (overrides.cps ??= {}) as Record<string, unknown>;
      const duration = (cps.roleDuration ??= {}) as Record<string, unknown>;
      duration[parts[2]] = value;
    } else {
      const group = (overrides[parts[0]] ??= {}) as Record<string, unknown>;
      group[parts[1]] = value;
    }
  }
  return { overrides: overrides as SchedulerConfigOverrides };
}
