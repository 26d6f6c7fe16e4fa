import { dockerUnavailable, finishDocker, prepareDocker } from './docker-setup.js';

/** What the container and Swarm cases share: Docker, its daemons sampled, images built once. */
export abstract class DockerOrchestration {
  readonly hasDaemons = true;

  unavailable(): Promise<string | null> {
    return dockerUnavailable();
  }

  prepare(say: (line: string) => void): Promise<void> {
    return prepareDocker(say);
  }

  /** Docker as it was found (idempotent: the first of the two cases to finish does it). */
  finish(say: (line: string) => void): Promise<void> {
    return finishDocker(say);
  }
}
