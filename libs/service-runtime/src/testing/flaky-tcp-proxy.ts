import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that can fail the way networks and slow servers do, for tests and the fault
 * suite: a reply lost with the connection, a connection that hangs without closing, or
 * every byte from the clients held back a while (a slow server, as clients see it).
 */
export class FlakyTcpProxy {
  /** Replies swallowed so far by `loseNextReply`. */
  lostReplies = 0;
  private readonly connections = new Set<{ client: Socket; upstream: Socket }>();
  private loseArmed = false;
  private holding = false;
  private delayMs = 0;

  private readonly server: Server;
  private listeningPort = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  /** The free port on 127.0.0.1 it listens on (kept after `close`, for messages). */
  get port(): number {
    return this.listeningPort;
  }

  static async start(target: { host: string; port: number }): Promise<FlakyTcpProxy> {
    const proxy = new FlakyTcpProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.listeningPort = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  /**
   * The next command any client sends reaches Redis, but its reply is dropped and that
   * connection cut: the command ran, the client never hears so.
   */
  loseNextReply(): void {
    this.loseArmed = true;
  }

  /** Bytes from clients wait here (the connection stays open) until `resume`. */
  hold(): void {
    this.holding = true;
    for (const { client } of this.connections) client.pause();
  }

  resume(): void {
    this.holding = false;
    for (const { client } of this.connections) client.resume();
  }

  /**
   * From now on each chunk a client sends reaches the server `ms` later (0: at once again),
   * in order: requests are answered that much later, and nothing is lost.
   */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Stops listening and cuts every connection: Redis is gone, as far as clients can tell. */
  async close(): Promise<void> {
    for (const { client, upstream } of this.connections) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = createConnection(this.target);
    const connection = { client, upstream };
    this.connections.add(connection);
    let doomed = false;
    if (this.holding) client.pause();
    // Chunks wait in order behind a delayed one, so a delay never reorders a stream.
    let sent: Promise<void> = Promise.resolve();
    client.on('data', (chunk) => {
      if (this.loseArmed) {
        this.loseArmed = false;
        doomed = true;
      }
      const delayMs = this.delayMs;
      sent = sent.then(async () => {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', (chunk) => {
      if (!doomed) {
        client.write(chunk);
        return;
      }
      this.lostReplies += 1;
      client.destroy();
      upstream.destroy();
    });
    const drop = (): void => {
      this.connections.delete(connection);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  }
}
