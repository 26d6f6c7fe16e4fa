import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { boundedProblems } from '@meshmon/contracts';
import { ApiError, codeForStatus } from './api-error.js';

/**
 * Every error leaves in the one documented shape: ApiErrors as they are, Nest's own
 * HttpExceptions (unknown route, wrong method) by their status, and anything else as a
 * 500 that is logged, never echoed (it may carry internals).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toApiError(exception);
    if (error.status >= 500 && !(exception instanceof ApiError)) {
      this.logger.error(`unexpected failure: ${String(exception)}`, (exception as Error)?.stack);
    }
    // An SSE stream may already have started; nothing sensible can be sent then.
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(error.status).json(error.toBody());
  }
}

export function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) {
    return exception.problems
      ? new ApiError(
          exception.status,
          exception.code,
          exception.message,
          boundedProblems(exception.problems),
        )
      : exception;
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return new ApiError(status, codeForStatus(status), exception.message);
  }
  return new ApiError(500, 'internal', 'internal error');
}
