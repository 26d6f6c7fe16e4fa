// The live part: one EventSource on /api/v1/events. Each SSE event is named after its
// type (`result` for measurement results), so listeners are per name; an unnamed
// `message` never comes. The browser retries a dropped stream by itself, but gives up
// for good on an HTTP error (401, 503): then we open a new one after a growing pause.
/* global EventSource, setTimeout, clearTimeout */
import { eventsUrl } from './api.js';

const EVENT_TYPES = [
  'role-switched',
  'slot-granted',
  'slot-denied',
  'lease-expired',
  'request-timeout',
  'member-joined',
  'member-removed',
  'service-started',
  'service-stopping',
  'scheduler-started',
  'scheduler-stopped',
];
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
// About an hour and a half of retries at the longest pause; then the page asks for a reload.
const MAX_ATTEMPTS = 200;

/**
 * Opens the stream and keeps it open.
 * @param handlers.onResult (MeasurementResult) => void
 * @param handlers.onEvent (SchedulerEventMessage) => void
 * @param handlers.onStatus ('connecting' | 'live' | 'reconnecting' | 'disconnected') => void
 * @param handlers.onReconnected () => void, after a gap in which events may have been missed
 * @param handlers.onProblem (message) => void, for a message that could not be read
 */
export function connectLive(handlers) {
  let source = null;
  let attempts = 0;
  let wasLive = false;
  let timer = null;

  const parse = (message) => {
    try {
      return JSON.parse(message.data);
    } catch (error) {
      // One bad message must not stop the stream; the next refresh covers the gap.
      handlers.onProblem(`an event was not JSON: ${error.message}`);
      return null;
    }
  };

  const open = () => {
    timer = null;
    source = new EventSource(eventsUrl());
    source.addEventListener('open', () => {
      attempts = 0;
      handlers.onStatus('live');
      if (wasLive) handlers.onReconnected();
      wasLive = true;
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CONNECTING) {
        handlers.onStatus('reconnecting');
        return;
      }
      source.close();
      attempts += 1;
      if (attempts > MAX_ATTEMPTS) {
        handlers.onStatus('disconnected');
        return;
      }
      handlers.onStatus('reconnecting');
      const pause = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
      timer = setTimeout(open, pause);
    });
    source.addEventListener('result', (message) => {
      const result = parse(message);
      if (result && typeof result.monitor === 'string' && typeof result.sensor === 'string') {
        handlers.onResult(result);
      }
    });
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        const event = parse(message);
        if (event && event.event) handlers.onEvent(event);
      });
    }
  };

  open();
  return {
    /** Opens the stream again at once (a new token): a refused one may be in a long pause. */
    reopen() {
      if (timer) clearTimeout(timer);
      source?.close();
      attempts = 0;
      open();
    },
    close() {
      if (timer) clearTimeout(timer);
      source?.close();
    },
  };
}
