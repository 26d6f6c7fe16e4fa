/**
 * Bytes to a JSON value, refusing what no contract needs before class-transformer sees
 * it: oversized bodies, invalid UTF-8, nesting deeper than any contract (class-transformer
 * and class-validator recurse), and the keys `__proto__`, `constructor` and `prototype`
 * (assigning `__proto__` on a class instance replaces its prototype, which would slip past
 * the unknown-property check).
 */
import { BODY_FIELD, MAX_PROBLEMS, fieldPath, type Problem } from './problem.js';

/** NATS's default max_payload: nothing larger can arrive anyway. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** The deepest contract (envelope.message.scope.pairs[i]) is 5 levels; leave room. */
export const MAX_DEPTH = 16;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type Parsed =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: Problem[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (rule: string): Parsed => ({ ok: false, problems: [{ field: BODY_FIELD, rule }] });

export function parsePayload(payload: unknown): Parsed {
  let text: string;
  if (typeof payload === 'string') {
    if (Buffer.byteLength(payload, 'utf8') > MAX_PAYLOAD_BYTES) {
      return refuse(`must be at most ${MAX_PAYLOAD_BYTES} bytes`);
    }
    text = payload;
  } else if (payload instanceof Uint8Array) {
    if (payload.byteLength > MAX_PAYLOAD_BYTES) {
      return refuse(`must be at most ${MAX_PAYLOAD_BYTES} bytes`);
    }
    try {
      text = utf8.decode(payload);
    } catch (_notUtf8) {
      return refuse('must be UTF-8');
    }
  } else {
    return refuse('must be bytes or a string');
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (_notJson) {
    return refuse('must be JSON');
  }
}

/**
 * What JSON.parse could have produced: plain objects, dense arrays, strings, numbers,
 * booleans and null (undefined too: code-built values use it for absent fields). Values
 * handed to `problemsWith` by code may be anything; class-transformer would walk a sparse
 * array of 2^31 slots one by one, so such values are refused here.
 */
function jsonShapeProblem(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return null;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        return Object.keys(value).length === value.length ? null : 'must be a JSON array';
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      return prototype === Object.prototype || prototype === null ? null : 'must be a JSON object';
    }
    default:
      return 'must be a JSON value';
  }
}

/**
 * Walks the value without recursion (so deep junk cannot overflow the stack), refusing
 * forbidden keys, excessive depth and anything JSON cannot carry.
 */
export function structureProblems(root: unknown): Problem[] {
  const problems: Problem[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 0 },
  ];
  // Parsed JSON shares no objects; values handed in by code might, even in cycles (which
  // class-transformer's circular check then cuts).
  const seen = new WeakSet<object>();
  // One past the cap is enough for the caller to say "more problems than listed".
  while (stack.length > 0 && problems.length <= MAX_PROBLEMS) {
    const { value, path, depth } = stack.pop()!;
    const shapeProblem = jsonShapeProblem(value);
    if (shapeProblem !== null) {
      problems.push({ field: path || BODY_FIELD, rule: shapeProblem });
      continue;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (depth >= MAX_DEPTH) {
      problems.push({
        field: path || BODY_FIELD,
        rule: `must be nested at most ${MAX_DEPTH} levels deep`,
      });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ field: fieldPath(path, key), rule: 'is not allowed' });
        continue;
      }
      const child = (value as Record<string, unknown>)[key];
      if (typeof child !== 'string' && typeof child !== 'number' && typeof child !== 'boolean') {
        stack.push({ value: child, path: fieldPath(path, key), depth: depth + 1 });
      }
    }
  }
  return problems;
}
