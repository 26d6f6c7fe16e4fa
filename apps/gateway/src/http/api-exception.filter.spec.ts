import { MethodNotAllowedException, NotFoundException } from '@nestjs/common';
import { ApiError } from './api-error.js';
import { toApiError } from './api-exception.filter.js';

describe(toApiError.name, () => {
  it('errors - an ApiError keeps its status, code and problems', () => {
    const sut = toApiError(ApiError.invalid([{ field: 'monitor', rule: 'is required' }]));

    expect(sut.toBody()).toEqual({
      error: {
        status: 400,
        code: 'invalid-request',
        message: 'the request is not valid',
        problems: [{ field: 'monitor', rule: 'is required' }],
      },
    });
  });

  it('errors - Nest exceptions map by status', () => {
    expect(toApiError(new NotFoundException('Cannot GET /x')).toBody().error).toMatchObject({
      status: 404,
      code: 'not-found',
    });
    expect(toApiError(new MethodNotAllowedException()).toBody().error.code).toBe(
      'method-not-allowed',
    );
  });

  it('errors - anything else is a 500 that does not leak its message', () => {
    const sut = toApiError(new Error('password=hunter2'));

    expect(sut.toBody()).toEqual({
      error: { status: 500, code: 'internal', message: 'internal error' },
    });
  });

  it('errors - problems are bounded', () => {
    const many = Array.from({ length: 50 }, (_, index) => ({
      field: `f${index}`,
      rule: 'is not allowed',
    }));

    expect(toApiError(ApiError.invalid(many)).problems).toHaveLength(21);
  });
});
