import { dockerUnavailable, prepareDocker } from './docker-setup.js';

/** What the container and Swarm cases share: Docker, its daemons sampled, images built once. */
export abstract class DockerOrchestration {
  readonly hasDaemons = true;

  unavailable(): Promise<string | null> {
    return dockerUnavailable();
  }

  prepare(say: (line: string) => void): Promise<void> {
    return prepareDocker(say);
  }
}
