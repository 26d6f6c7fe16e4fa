import type { LabGateway } from '../../apps/lab/src/cluster/lab-suite.js';

/** A small client of the gateway's HTTP API for the lab scenarios: JSON in, status and JSON out. */
export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
}

export function gatewayApi(gateway: LabGateway) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${gateway.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
    delete: <T>(path: string) => call<T>('DELETE', path),
  };
}

export interface CoverageAnswer {
  readonly coverage: number;
  readonly pairsInScope: number;
  readonly pairsMeasured: number;
  readonly timeToFullCoverageMs: number | null;
}

export interface IntentAnswer {
  readonly mode: 'all' | 'intents';
  readonly intents: readonly { monitor: string; sensor: string; source: string }[];
}
