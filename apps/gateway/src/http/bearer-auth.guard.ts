import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from './api-error.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The SSE route takes the token in the query too: EventSource cannot send headers. */
const QUERY_TOKEN_ROUTES = new Set(['/api/v1/events']);

/**
 * With MESHMON_GATEWAY_TOKEN set, every `/api/*` route needs `Authorization: Bearer
 * <token>`; the rest (dashboard, health, metrics, docs) stays open. Compared in constant
 * time on digests, so neither the content nor the length leaks through timing.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(GATEWAY_RUNTIME) runtime: GatewayRuntime) {
    this.expected = runtime.config.token === null ? null : digest(runtime.config.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === null) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.path.startsWith('/api/')) return true;
    const presented = presentedToken(request);
    if (presented !== null && timingSafeEqual(digest(presented), this.expected)) return true;
    const message =
      presented === null ? 'a bearer token is required' : 'the bearer token is not valid';
    throw new ApiError(401, 'unauthorized', message);
  }
}

function presentedToken(request: Request): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : '';
  }
  const query = (request.query as Record<string, unknown>).access_token;
  if (QUERY_TOKEN_ROUTES.has(request.path) && typeof query === 'string') return query;
  return null;
}
