import { connect, createServer, type Server, type Socket } from 'node:net';

/** First TCP port of the flows (one per flow), clear of iperf3's 5201-5216 and the health ports. */
const FIRST_PORT = 7100;
const TICK_MS = 100;

/** The address one-machine.yml gives node N. */
export const nodeAddress = (node: number): string => `127.0.0.1${node}`;

/**
 * Application traffic between the nodes while the suite measures, as a real cluster has:
 * flow i goes from node i+1 to the next node round the ring, at a steady rate, in chunks
 * every 100 ms. The same in every group, and not the suite's own (it is not sampled).
 */
export class BackgroundTraffic {
  private readonly servers: Server[] = [];
  private readonly sockets: Socket[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly nodes: number,
    private readonly flows: number,
    private readonly bytesPerSecond: number,
  ) {}

  async start(): Promise<void> {
    if (this.flows === 0 || this.bytesPerSecond === 0) return;
    const chunk = Buffer.alloc(Math.max(1, Math.round((this.bytesPerSecond * TICK_MS) / 1000)));
    for (let flow = 0; flow < this.flows; flow += 1) {
      const from = (flow % this.nodes) + 1;
      const to = ((flow + 1) % this.nodes) + 1;
      const port = FIRST_PORT + flow;
      const server = createServer((socket) => {
        this.sockets.push(socket);
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, nodeAddress(to), resolve);
      });
      this.servers.push(server);
      const socket = connect({ host: nodeAddress(to), port, localAddress: nodeAddress(from) });
      socket.on('error', () => undefined);
      this.sockets.push(socket);
      // A slow reader only delays the next chunk; the rate is an upper bound, not a backlog.
      this.timers.push(setInterval(() => socket.writableNeedDrain || socket.write(chunk), TICK_MS));
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
    this.servers.length = 0;
    this.sockets.length = 0;
    this.timers.length = 0;
  }
}
