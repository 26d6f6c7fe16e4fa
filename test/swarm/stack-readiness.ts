import { rows } from '../e2e/commands.js';
import { say } from '../e2e/e2e-report.js';
import { docker } from './docker-cli.js';

/** One service of the stack as swarm and its containers report it. */
export interface ServiceReadiness {
  readonly name: string;
  /** Tasks swarm wants running. */
  readonly desired: number;
  /** Tasks swarm reports running (with a health check: only once healthy). */
  readonly running: number;
  /** Containers whose health check passes (`docker ps` status "(healthy)"). */
  readonly healthy: number;
}

export const isReady = (service: ServiceReadiness): boolean =>
  service.desired > 0 && service.running === service.desired && service.healthy === service.desired;

/** "3/3", "1/1 (max 1 per node)" -> running, desired. */
export function parseReplicas(text: string): { running: number; desired: number } | null {
  const match = /^(\d+)\/(\d+)/.exec(text.trim());
  return match ? { running: Number(match[1]), desired: Number(match[2]) } : null;
}

const stackFilter = (stack: string): string[] => [
  '--filter',
  `label=com.docker.stack.namespace=${stack}`,
];

/** Every service of the stack with its replicas and how many of its containers are healthy. */
export async function stackReadiness(stack: string): Promise<ServiceReadiness[]> {
  const services = rows(
    await docker(['service', 'ls', ...stackFilter(stack), '--format', '{{.Name}}\t{{.Replicas}}']),
  );
  const containers = rows(
    await docker([
      'ps',
      ...stackFilter(stack),
      '--format',
      '{{.Label "com.docker.swarm.service.name"}}\t{{.Status}}',
    ]),
  );
  return services.map(([name, replicas = '']) => {
    const counts = parseReplicas(replicas) ?? { running: 0, desired: 0 };
    const healthy = containers.filter(
      ([service, status = '']) => service === name && status.includes('(healthy)'),
    ).length;
    return { name, ...counts, healthy };
  });
}

/** "gateway 1/1 healthy 0" for the services not ready yet. */
export const describeNotReady = (services: readonly ServiceReadiness[]): string =>
  services
    .filter((service) => !isReady(service))
    .map(
      (service) =>
        `${service.name} ${service.running}/${service.desired} healthy ${service.healthy}`,
    )
    .join(', ');

/**
 * Polls until `expectedServices` services exist and every one has all its tasks running
 * and healthy, or the deadline passes. Prints progress when it changes.
 */
export async function waitForHealthyStack(
  stack: string,
  expectedServices: number,
  timeoutMs: number,
): Promise<{ ok: boolean; services: ServiceReadiness[] }> {
  const deadline = Date.now() + timeoutMs;
  let services: ServiceReadiness[] = [];
  let shown = '';
  for (let round = 0; round < 2_000 && Date.now() < deadline; round += 1) {
    services = await stackReadiness(stack);
    const ready = services.filter(isReady).length;
    if (services.length >= expectedServices && ready === services.length) {
      return { ok: true, services };
    }
    const line = `${ready}/${services.length} services ready; waiting for ${describeNotReady(services)}`;
    if (line !== shown) say(line);
    shown = line;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return { ok: false, services };
}

/**
 * What an operator would look at: the service's last tasks with their state and error,
 * and of its newest container the last log lines and the last health check's output.
 */
export async function diagnoseService(service: string): Promise<string> {
  const tasks = await docker([
    'service',
    'ps',
    service,
    '--no-trunc',
    '--format',
    '{{.Name}}\t{{.CurrentState}}\t{{.Error}}',
  ]).catch((error: Error) => error.message);
  const newest = (
    await docker([
      'ps',
      '-a',
      '--latest',
      '--filter',
      `label=com.docker.swarm.service.name=${service}`,
      '--format',
      '{{.ID}}',
    ]).catch(() => '')
  ).trim();
  const lines = [`---- ${service}: tasks`, ...tasks.split('\n').slice(0, 6)];
  if (newest !== '') {
    const logs = await docker(['logs', '--tail', '20', newest], {
      timeoutMs: 20_000,
      withStderr: true,
    }).catch((error: Error) => error.message);
    const health = await docker([
      'inspect',
      '--format',
      '{{if .State.Health}}{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}{{end}}',
      newest,
    ]).catch((error: Error) => error.message);
    lines.push(`---- ${service}: container ${newest}, last log lines`, logs);
    lines.push(`---- ${service}: its health checks (exit code, output)`, health.slice(-1500));
  }
  return lines.join('\n');
}
