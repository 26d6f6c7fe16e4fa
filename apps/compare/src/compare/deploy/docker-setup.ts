import { existsSync } from 'node:fs';
import { run } from './deployment.js';

let prepared: Promise<void> | null = null;

/** Null when Docker can run here (a daemon answers, or root can install and start one). */
export async function dockerUnavailable(): Promise<string | null> {
  const answers = await run('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeoutMs: 20_000,
  }).then(
    () => true,
    () => false,
  );
  if (answers) return null;
  if (process.getuid?.() === 0) return null;
  return existsSync('/usr/bin/dockerd') || existsSync('/usr/sbin/dockerd')
    ? 'no Docker daemon answers and only root can start one'
    : 'Docker is not installed and only root can install it';
}

/**
 * Docker, a one-node swarm and the images, once for every orchestration that needs them:
 * infra/swarm/docker-up.sh (idempotent; installs and starts only what is missing) and
 * infra/docker/build-ci-images.sh (offline, from this checkout).
 */
export function prepareDocker(say: (line: string) => void): Promise<void> {
  prepared ??= (async () => {
    say('docker: daemon and swarm (infra/swarm/docker-up.sh)');
    await run('bash', ['infra/swarm/docker-up.sh'], { timeoutMs: 600_000 });
    say('docker: building the images offline (infra/docker/build-ci-images.sh)');
    await run('bash', ['infra/docker/build-ci-images.sh', 'meshmon:latest'], {
      timeoutMs: 900_000,
    });
  })();
  return prepared;
}

/**
 * Docker as docker-up.sh found it: its own daemon and swarm stop again (docker-down.sh
 * undoes exactly what docker-up.sh did), a daemon someone else runs stays.
 */
export async function finishDocker(say: (line: string) => void): Promise<void> {
  if (!prepared) return;
  prepared = null;
  say('docker: stopping what docker-up.sh started (infra/swarm/docker-down.sh)');
  await run('bash', ['infra/swarm/docker-down.sh'], { timeoutMs: 300_000 });
}
