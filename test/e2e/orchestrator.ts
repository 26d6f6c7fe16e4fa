import type { InfluxCredentials } from '@meshmon/influx-store';
import type { GatewayClient } from './gateway-client.js';

/** How the checks reach a deployed suite. */
export interface E2eDeployment {
  readonly gateway: GatewayClient;
  /** InfluxDB's HTTP API, read directly: the checks look at what was stored. */
  readonly influxUrl: string;
  readonly database: string;
  /** InfluxDB's logins: the gateway's reader (the checks read with it) and the sink's writer. */
  readonly influxReader: InfluxCredentials;
  readonly influxWriter: InfluxCredentials;
  /** The names the node agents run under: every ordered pair of them must be measured. */
  readonly nodes: readonly string[];
}

/**
 * One orchestrator the end-to-end checks run on (Docker Swarm, Kubernetes). The checks
 * (coverage-check.ts) are the same for every orchestrator; only getting the suite up,
 * reaching it, explaining a failure and removing it differ.
 */
export interface E2eOrchestrator {
  /** The tag every stored result must carry (MESHMON_ORCHESTRATOR of the deployment). */
  readonly name: 'swarm' | 'kubernetes';
  /** Null when the test can run here, else why not, in words; the test then says so and passes. */
  unavailable(): Promise<string | null>;
  /** Daemons up, images there, what a killed earlier run left behind removed. */
  prepare(): Promise<void>;
  /** Deploys the suite and waits until every part of it is ready. */
  deploy(): Promise<E2eDeployment>;
  /** What an operator would look at when results are missing: one text per service. */
  diagnose(): Promise<string[]>;
  /** Removes everything deploy() started; runs on failure and on a signal too. */
  cleanUp(): Promise<void>;
  /** Stops the commands still running (on a signal, before cleanUp). */
  interrupt(): void;
}
