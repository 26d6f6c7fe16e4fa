import express, { type NextFunction, type Request, type Response } from 'express';
import { BODY_FIELD } from '@meshmon/contracts';
import { ApiError } from './api-error.js';

/** Bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

const parseJson = express.json({ limit: MAX_BODY_BYTES, strict: true, type: () => true });
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * body-parser's errors would reach Express's HTML error page, outside Nest's filters, so
 * the parser is called here and its failures answered in the API's error shape: too
 * large -> 413, not JSON -> 400, a body that is not declared as JSON -> 400.
 */
export function jsonBody(request: Request, response: Response, next: NextFunction): void {
  if (!METHODS_WITH_BODY.has(request.method) || !hasBody(request)) {
    next();
    return;
  }
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    const rule = 'must be sent with Content-Type: application/json';
    send(response, ApiError.invalid([{ field: BODY_FIELD, rule }]));
    // Drain the unread body so the connection can be reused.
    request.resume();
    return;
  }
  parseJson(request, response, (error?: unknown) => {
    if (error === undefined || error === null) {
      next();
      return;
    }
    send(response, bodyError(error));
  });
}

function bodyError(error: unknown): ApiError {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    const rule = `must be at most ${MAX_BODY_BYTES} bytes`;
    return new ApiError(413, 'payload-too-large', `body ${rule}`, [{ field: BODY_FIELD, rule }]);
  }
  if (type === 'entity.parse.failed') {
    return ApiError.invalid(
      [{ field: BODY_FIELD, rule: 'must be a JSON object or array' }],
      'the body is not valid JSON',
    );
  }
  const status = (error as { status?: unknown }).status;
  const rule = error instanceof Error ? error.message : 'could not be read';
  return typeof status === 'number' && status >= 400 && status < 500
    ? new ApiError(400, 'invalid-request', rule, [{ field: BODY_FIELD, rule }])
    : new ApiError(500, 'internal', 'the body could not be read');
}

export function send(response: Response, error: ApiError): void {
  if (response.headersSent) return;
  response.status(error.status).json(error.toBody());
}
