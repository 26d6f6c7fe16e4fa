// The gateway's JSON API as the dashboard uses it (shapes: apps/gateway/README.md).
/* global window, sessionStorage, history, fetch, AbortSignal */

const TOKEN_KEY = 'meshmon.token';
// A refresh that hangs would block the next one (refreshes never overlap), so give up.
const REQUEST_TIMEOUT_MS = 8000;

/** A failed API call, with the gateway's error code when it sent one. */
export class ApiError extends Error {
  name = 'ApiError';

  constructor(message, { status = 0, code = 'network', cause } = {}) {
    super(message, { cause });
    this.status = status;
    this.code = code;
  }
}

/**
 * Takes `#token=…` from the address into sessionStorage and removes it from the address,
 * so the token is neither shown nor copied along with a shared link, but survives a
 * reload of this tab.
 */
export function adoptTokenFromHash() {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The token the user typed in: kept for this tab, as one from the address is. */
export function useToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value.trim());
}

/** GET a JSON document from the API; throws ApiError with the gateway's message. */
export async function getJson(path) {
  const headers = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response;
  try {
    response = await fetch(path, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new ApiError(`${path}: gateway unreachable`, { cause: error });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && body.error ? body.error : {};
    const message = detail.message || `HTTP ${response.status}`;
    throw new ApiError(`${path}: ${message}`, {
      status: response.status,
      code: detail.code || 'http',
    });
  }
  return body;
}

/** The SSE address; EventSource cannot send headers, so the token goes in the query. */
export function eventsUrl() {
  const bearer = token();
  return bearer ? `/api/v1/events?access_token=${encodeURIComponent(bearer)}` : '/api/v1/events';
}
