import { spawn, type ChildProcess } from 'node:child_process';

export { freePort } from '../free-port.js';

export interface OwnNatsOptions {
  /** Turns on the monitoring endpoint (/connz lists the open connections). */
  readonly monitorPort?: number;
  /** Turns on JetStream, storing under this directory (the caller removes it). */
  readonly jetStreamDir?: string;
  /** A configuration file (`-c`), e.g. one that includes an authorization block. */
  readonly configFile?: string;
}

/**
 * A NATS server of the test's own on 127.0.0.1, so stopping it disturbs nobody else.
 * The caller kills it.
 */
export function ownNatsServer(port: number, options: OwnNatsOptions = {}): ChildProcess {
  const monitoring = options.monitorPort === undefined ? [] : ['-m', String(options.monitorPort)];
  const jetStream = options.jetStreamDir === undefined ? [] : ['-js', '-sd', options.jetStreamDir];
  const config = options.configFile === undefined ? [] : ['-c', options.configFile];
  return spawn(
    'nats-server',
    [...config, '-a', '127.0.0.1', '-p', String(port), ...monitoring, ...jetStream],
    { stdio: 'ignore' },
  );
}
