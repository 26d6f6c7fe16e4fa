export class GatewayError extends Error {
  override readonly name = 'GatewayError';
}

/** The few gateway calls the e2e test makes, with the bearer token the stack was given. */
export class GatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Status of a request made without the token (the API must refuse it: 401). */
  async statusWithoutToken(path: string): Promise<number> {
    const response = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.status;
  }

  /** The node names the gateway has seen, sorted. */
  async nodes(): Promise<string[]> {
    const body = (await this.call('GET', '/api/v1/nodes', 200)) as { nodes: { node: string }[] };
    return body.nodes.map((entry) => entry.node).sort();
  }

  /** Starts a run cluster-wide; the gateway answers 202 with the run and its time. */
  async startScheduler(algorithm: string): Promise<{ runId: string; requestedAtMs: number }> {
    return (await this.call('POST', '/api/v1/scheduler/start', 202, { algorithm })) as {
      runId: string;
      requestedAtMs: number;
    };
  }

  private async call(
    method: string,
    path: string,
    expected: number,
    body?: unknown,
  ): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== expected) {
      throw new GatewayError(
        `${method} ${path}: ${response.status} (expected ${expected}): ${text}`,
      );
    }
    return JSON.parse(text) as unknown;
  }
}
