import type { Problem } from '../core/problem.js';
import type { SchedulerConfigOverrides } from './scheduler-config.js';

/**
 * Scheduler parameters by their dotted names. They travel typed (`SchedulerParams`, numbers
 * by name: on NATS, in Redis, in the gateway's API); only command lines and
 * MESHMON_SCHEDULER_PARAMS write them as `name=value` text, which parseSchedulerParams
 * reads. One list and one parser, so a name means the same everywhere.
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

export type SchedulerParamPath = (typeof SCHEDULER_PARAM_PATHS)[number];

/** Parameters as they travel: `{ "cps.listeningMs": 640 }`; the ranges are checked later. */
export type SchedulerParams = Readonly<Partial<Record<SchedulerParamPath, number>>>;

export function isSchedulerParamPath(name: string): name is SchedulerParamPath {
  return (SCHEDULER_PARAM_PATHS as readonly string[]).includes(name);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads `name=value` texts (flags, MESHMON_SCHEDULER_PARAMS); the first bad one is the
 * problem. A name given twice keeps its last value.
 */
export function parseSchedulerParams(
  texts: readonly string[],
): { params: SchedulerParams; overrides: SchedulerConfigOverrides } | { problem: Problem } {
  const params: Partial<Record<SchedulerParamPath, number>> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    const path = eq > 0 ? text.slice(0, eq).trim() : '';
    const raw = eq > 0 ? text.slice(eq + 1) : '';
    if (!isSchedulerParamPath(path)) {
      return {
        problem: {
          field: path || text,
          rule: `must be <name>=<number> with name one of ${SCHEDULER_PARAM_PATHS.join(', ')} (got "${text}")`,
        },
      };
    }
    if (!NUMBER.test(raw.trim()))
      return { problem: { field: path, rule: `${path} must be a number (got "${raw}")` } };
    params[path] = Number(raw);
  }
  return { params, overrides: schedulerOverrides(params) };
}

/**
 * What is wrong with a parameters object from outside (a NATS message, Redis, a JSON
 * body): every unknown name and every value that is not a finite number, by name.
 */
export function schedulerParamsProblems(value: unknown): Problem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ field: '', rule: 'must be an object of scheduler parameters by name' }];
  }
  const problems: Problem[] = [];
  for (const [name, number] of Object.entries(value)) {
    if (!isSchedulerParamPath(name)) {
      problems.push({
        field: name,
        rule: `is not a scheduler parameter (one of ${SCHEDULER_PARAM_PATHS.join(', ')})`,
      });
    } else if (typeof number !== 'number' || !Number.isFinite(number)) {
      problems.push({
        field: name,
        rule: `must be a finite number (got ${JSON.stringify(number)})`,
      });
    }
  }
  return problems;
}

/** The same parameters as the nested overrides mergeSchedulerConfig takes. */
export function schedulerOverrides(params: SchedulerParams): SchedulerConfigOverrides {
  const overrides: Record<string, Record<string, unknown> | number> = {};
  for (const [path, value] of Object.entries(params)) {
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
  return overrides as SchedulerConfigOverrides;
}

/** Back to `name=value` texts, for MESHMON_SCHEDULER_PARAMS and for people to read. */
export function formatSchedulerParams(params: SchedulerParams): string[] {
  return Object.entries(params).map(([name, value]) => `${name}=${value}`);
}
