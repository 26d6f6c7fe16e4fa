import { problemsOf } from '../testing/decode-helpers.js';
import {
  decodeErrorReply,
  encodeErrorReply,
  errorReply,
  invalidMessageReply,
} from './error-reply.dto.js';

describe('error replies', () => {
  it('invalidMessageReply carries the problems and always encodes', () => {
    const problems = Array.from({ length: 100 }, (_, i) => ({
      field: `k${i}`,
      rule: 'is not allowed',
    }));

    const reply = invalidMessageReply(problems);
    const decoded = decodeErrorReply(encodeErrorReply(reply));

    expect(decoded.ok).toBe(true);
    expect(reply.error.code).toBe('invalid-message');
    expect(reply.error.problems).toHaveLength(21);
  });

  it('errorReply cuts long messages and replaces empty ones', () => {
    expect(errorReply('internal', 'x'.repeat(10_000)).error.message).toHaveLength(2000);
    expect(errorReply('internal', '').error.message).toBe('internal');
  });

  it('refuses a code that is not kebab-case', () => {
    const body = JSON.stringify({ v: 1, ok: false, error: { code: 'Bad Code', message: 'x' } });
    expect(problemsOf(decodeErrorReply(body))).toEqual([
      { field: 'error.code', rule: 'must be a kebab-case code of at most 64 characters' },
    ]);
  });
});
