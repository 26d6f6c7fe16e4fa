import { ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_EVENT_TYPES } from '@meshmon/contracts';
import { Optional, rule } from '../http/field-rules.js';

/** What an SSE `event:` can be: a service event type, `error`, or `result`. */
export const RELAYED_TYPES: readonly string[] = [...SERVICE_EVENT_TYPES, 'error', 'result'];

export function typesProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 4096)
    return 'must be a comma-separated list of event types';
  const unknown = value
    .split(',')
    .map((type) => type.trim())
    .find((type) => !RELAYED_TYPES.includes(type));
  return unknown === undefined
    ? null
    : `must list only ${RELAYED_TYPES.join(', ')} (not "${unknown.slice(0, 64)}")`;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ type: String, description: `comma list of ${RELAYED_TYPES.join(', ')}` })
  @Optional()
  @rule('isEventTypes', typesProblem)
  readonly types?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'the bearer token, for EventSource (no headers)',
  })
  @Optional()
  @rule('isToken', (value) =>
    typeof value === 'string' && value.length <= 256 ? null : 'must be a string',
  )
  readonly access_token?: string;
}
