import { ProbeError, startIperfServer, type IperfServer } from '@meshmon/probes';

/** Ports tried in turn, so a server still closing on one port never blocks the next probe. */
const PORTS_IN_ROTATION = 16;
const START_ATTEMPTS = 4;

/**
 * The sensor's one-off iperf3 servers. At most one runs: a sensor serves one monitor at a
 * time, so starting a server for a new measurement stops whatever an earlier one left.
 */
export class IperfServers {
  private current: { measurementId: string; server: IperfServer } | null = null;
  private nextPort = 0;

  constructor(
    private readonly bindAddress: string,
    private readonly portBase: number,
  ) {}

  get running(): string | null {
    return this.current?.measurementId ?? null;
  }

  async start(measurementId: string, probeSeconds: number): Promise<number> {
    await this.stopAll();
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt += 1) {
      const port = this.portBase + (this.nextPort++ % PORTS_IN_ROTATION);
      try {
        const server = await startIperfServer({
          port,
          bindAddress: this.bindAddress,
          // A client that vanishes must not leave the server waiting past the lock.
          idleTimeoutSeconds: Math.ceil(probeSeconds) + 5,
        });
        this.current = { measurementId, server };
        void server.exited.then(() => {
          if (this.current?.server === server) this.current = null;
        });
        return port;
      } catch (error) {
        lastError = error;
        if (!(error instanceof ProbeError)) throw error;
      }
    }
    throw lastError;
  }

  async stop(measurementId: string): Promise<boolean> {
    if (this.current?.measurementId !== measurementId) return false;
    await this.stopAll();
    return true;
  }

  async stopAll(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current) await current.server.stop();
  }
}
