import { Body, Param, Query, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { BODY_FIELD, type Problem } from '@meshmon/contracts';
import { ApiError } from './api-error.js';

const BUILT_IN_RULES: Readonly<Record<string, string>> = {
  whitelistValidation: 'is not allowed',
  nestedValidation: 'must be an object',
  unknownValue: 'must be a JSON object',
};

/** class-validator's error tree as flat `{ field, rule }` pairs with dotted paths. */
export function problemsOf(errors: readonly ValidationError[], parent = ''): Problem[] {
  const out: Problem[] = [];
  for (const error of errors) {
    const field = parent === '' ? String(error.property) : `${parent}.${String(error.property)}`;
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field: field || BODY_FIELD, rule: BUILT_IN_RULES[name] ?? message });
    }
    if (error.children?.length) out.push(...problemsOf(error.children, field));
  }
  return out;
}

const QUERY_OR_PARAM = new Set(['query', 'param']);

/**
 * The pipe every body, query and path parameter goes through, given its DTO class
 * explicitly: the services run under tsx, which emits no parameter type metadata, so a
 * global pipe would not know what to validate against. Use ValidBody / ValidQuery /
 * ValidParams below.
 * whitelist with unknown fields refused, one problem per field, and a
 * 400 in the API's error shape. A body that is not a JSON object (an array, a string, or
 * nothing at all) is refused before class-transformer sees it; no body counts as `{}` so
 * the client learns which fields are missing.
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor(private readonly dto: new () => object) {
    super({
      expectedType: dto,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      transform: false,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ApiError.invalid(problemsOf(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated = metadata.type === 'body' || QUERY_OR_PARAM.has(metadata.type);
    if (!validated) return value;
    let input = value ?? {};
    if (typeof input !== 'object' || Array.isArray(input)) {
      throw ApiError.invalid([{ field: BODY_FIELD, rule: 'must be a JSON object' }]);
    }
    // Express's query parser builds objects with a null prototype; class-transformer wants plain ones.
    if (metadata.type !== 'body') input = { ...input };
    await super.transform(input, { ...metadata, metatype: this.dto });
    return input;
  }
}

/** `@ValidBody(Dto)`: the body, validated against Dto. */
export const ValidBody = (dto: new () => object): ParameterDecorator =>
  Body(new ApiValidationPipe(dto));

export const ValidQuery = (dto: new () => object): ParameterDecorator =>
  Query(new ApiValidationPipe(dto));

export const ValidParams = (dto: new () => object): ParameterDecorator =>
  Param(new ApiValidationPipe(dto));
