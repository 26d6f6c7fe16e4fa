import { isDeepStrictEqual } from 'node:util';

/**
 * What one service deploys, in terms both orchestrators share, so that a Kubernetes
 * container and a Swarm service compare field by field. Extracted by describe-k8s.ts
 * and describe-swarm.ts; every quantity is normalised (millicores, bytes, seconds).
 */
export interface DeploymentDescription {
  readonly service: string;
  readonly image: string;
  /** k8s `command` / swarm `entrypoint`; null keeps the image's ENTRYPOINT. */
  readonly entrypoint: readonly string[] | null;
  /** k8s `args` / swarm `command`; null keeps the image's CMD. */
  readonly command: readonly string[] | null;
  readonly env: Readonly<Record<string, EnvValue>>;
  /** `port/protocol`, sorted: k8s containerPorts; swarm: what its settings make it listen on. */
  readonly ports: readonly string[];
  readonly health: HealthDescription | null;
  readonly resources: ResourceDescription;
  /** `global`, or `replicated:<n>`. */
  readonly replication: string;
  readonly hostNetwork: boolean;
  /** `uid:gid`, or null for the image's user. */
  readonly user: string | null;
  readonly capabilities: { readonly add: readonly string[]; readonly drop: readonly string[] };
  /** Whether the root file system is read-only. */
  readonly readOnlyRoot: boolean;
  /** By path in the container. */
  readonly mounts: Readonly<Record<string, MountDescription>>;
}

/** A literal value, or a value the orchestrator fills in per pod or task. */
export type EnvValue = string | { readonly fieldRef: string };

export interface HealthDescription {
  /** What the check asks: `GET :<port><path>` or the command it runs. */
  readonly check: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  /** k8s: the livenessProbe's initial delay; swarm: start_period. */
  readonly startSeconds: number;
}

export interface ResourceDescription {
  readonly cpuRequestMillicores: number | null;
  readonly cpuLimitMillicores: number | null;
  readonly memoryRequestBytes: number | null;
  readonly memoryLimitBytes: number | null;
}

export type MountDescription =
  | { readonly kind: 'volume' }
  | { readonly kind: 'tmpfs' }
  | { readonly kind: 'host'; readonly source: string; readonly readOnly: boolean }
  | { readonly kind: 'config'; readonly content: string }
  // A secret's content is each deployment's own (npm run secrets): only where it goes compares.
  | { readonly kind: 'secret' };

/** One field that differs: `<service> <field>: k8s <a>, swarm <b>`. */
export interface Difference {
  readonly service: string;
  readonly field: string;
  readonly k8s: unknown;
  readonly swarm: unknown;
}

export function describeDifference(d: Difference): string {
  return `${d.service} ${d.field}: k8s ${JSON.stringify(d.k8s)}, swarm ${JSON.stringify(d.swarm)}`;
}

/**
 * Every field that differs between the two sides, service by service; a service on one
 * side only is a difference too. Environment variables and mounts compare key by key so
 * a failure names the variable or path.
 */
export function differences(
  k8s: ReadonlyMap<string, DeploymentDescription>,
  swarm: ReadonlyMap<string, DeploymentDescription>,
): Difference[] {
  const found: Difference[] = [];
  const services = [...new Set([...k8s.keys(), ...swarm.keys()])].sort();
  for (const service of services) {
    const a = k8s.get(service);
    const b = swarm.get(service);
    if (!a || !b) {
      found.push({
        service,
        field: 'service',
        k8s: a ? 'present' : 'absent',
        swarm: b ? 'present' : 'absent',
      });
      continue;
    }
    for (const field of Object.keys(a) as (keyof DeploymentDescription)[]) {
      if (field === 'env' || field === 'mounts') {
        const left = a[field] as Record<string, unknown>;
        const right = b[field] as Record<string, unknown>;
        for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
          if (!isDeepStrictEqual(left[key], right[key]))
            found.push({ service, field: `${field}.${key}`, k8s: left[key], swarm: right[key] });
        }
      } else if (!isDeepStrictEqual(a[field], b[field])) {
        found.push({ service, field, k8s: a[field], swarm: b[field] });
      }
    }
  }
  return found;
}

/** A difference the deployments have by design, with the reason. */
export interface AllowedDifference extends Difference {
  readonly why: string;
}

/**
 * Splits differences into the allowed ones and the rest. An allowance matches only its
 * exact service, field and both values, so an unexpected value still fails; allowances
 * that matched nothing are returned too (a stale allowance hides nothing, but is noise).
 */
export function sortDifferences(
  found: readonly Difference[],
  allowed: readonly AllowedDifference[],
): { unexpected: Difference[]; unused: AllowedDifference[] } {
  const used = new Set<AllowedDifference>();
  const unexpected = found.filter((d) => {
    const allowance = allowed.find(
      (a) =>
        a.service === d.service &&
        a.field === d.field &&
        isDeepStrictEqual(a.k8s, d.k8s) &&
        isDeepStrictEqual(a.swarm, d.swarm),
    );
    if (allowance) used.add(allowance);
    return !allowance;
  });
  return { unexpected, unused: allowed.filter((a) => !used.has(a)) };
}
