import type { ErrorEventMessage, SchedulerEventMessage } from '@meshmon/contracts';
import { eventTimestamp } from './point-time.js';
import { oneLine, type TimedPoint } from './result-points.js';
import { MEASUREMENTS, TAGS } from './schema.js';

/** The error events' `type` tag (they are not ServiceEvents, so they have none of their own). */
export const ERROR_EVENT_TYPE = 'error';

type Fields = Record<string, number | string | boolean>;

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * An event's own fields as point fields: snake_case, arrays and objects as JSON text,
 * and `node` renamed `event_node` (the reporter's node is already the `node` tag; the
 * event's own `node` names the machine the event is about, which may differ).
 */
function flatten(event: object, fields: Fields): void {
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type' || value === null || value === undefined) continue;
    const name = key === 'node' ? 'event_node' : snakeCase(key);
    if (typeof value === 'string') fields[name] = oneLine(value);
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = value;
    else fields[name] = JSON.stringify(value);
  }
}

/**
 * A scheduler or service event as a `scheduler_events` point with `count=1` (so `SUM`
 * counts events), stamped at the reporter's time plus the stream sequence.
 */
export function schedulerEventPoint(message: SchedulerEventMessage, sequence: number): TimedPoint {
  const fields: Fields = { count: 1 };
  flatten(message.event, fields);
  return eventPoint(message, message.event.type, fields, sequence);
}

/** An `events.error` message as a `scheduler_events` point of type `error`. */
export function errorEventPoint(message: ErrorEventMessage, sequence: number): TimedPoint {
  const fields: Fields = {
    count: 1,
    subject: oneLine(message.subject),
    code: message.code,
    message: oneLine(message.message),
  };
  if (message.problems.length > 0) fields.problems = JSON.stringify(message.problems);
  return eventPoint(message, ERROR_EVENT_TYPE, fields, sequence);
}

/** Both kinds of event: tagged by their reporter and type, stamped as their report. */
function eventPoint(
  message: SchedulerEventMessage | ErrorEventMessage,
  type: string,
  fields: Fields,
  sequence: number,
): TimedPoint {
  return {
    measurement: MEASUREMENTS.events,
    tags: {
      [TAGS.cluster]: message.cluster,
      [TAGS.node]: message.node,
      [TAGS.service]: message.service,
      [TAGS.type]: type,
    },
    fields,
    timestamp: eventTimestamp(message.atMs, sequence),
  };
}
