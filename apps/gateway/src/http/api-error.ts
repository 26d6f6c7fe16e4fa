import type { Problem } from '@meshmon/contracts';

export const API_ERROR_CODES = {
  400: 'invalid-request',
  401: 'unauthorized',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  500: 'internal',
  502: 'bad-gateway',
  503: 'unavailable',
  504: 'timeout',
} as const;

/** The one shape every error response has (see README). */
export interface ApiErrorBody {
  readonly error: {
    readonly status: number;
    readonly code: string;
    readonly message: string;
    readonly problems?: readonly Problem[];
  };
}

/**
 * An error the API answers with on purpose; the exception filter turns it into the error
 * shape. Anything else that reaches the filter is a bug and becomes a 500.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems?: readonly Problem[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  static invalid(problems: readonly Problem[], message = 'the request is not valid'): ApiError {
    return new ApiError(400, 'invalid-request', message, problems);
  }

  static notFound(field: string, rule: string): ApiError {
    return new ApiError(404, 'not-found', `${field} ${rule}`, [{ field, rule }]);
  }

  static unavailable(message: string, cause?: unknown): ApiError {
    return new ApiError(503, 'unavailable', message, undefined, { cause });
  }

  toBody(): ApiErrorBody {
    const { status, code, message, problems } = this;
    return { error: { status, code, message, ...(problems ? { problems } : {}) } };
  }
}

/** For statuses that came from elsewhere (Nest's 404 for an unknown route, body-parser). */
export function codeForStatus(status: number): string {
  return (
    (API_ERROR_CODES as Record<number, string>)[status] ??
    (status >= 500 ? 'internal' : 'invalid-request')
  );
}
