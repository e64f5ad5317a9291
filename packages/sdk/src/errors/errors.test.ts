import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BatonError, isBatonError } from './baton-error';
import { toBatonError } from './classify';
import { HttpError } from './http-error';
import { NonRetryableError, RateLimitedError, RetryableError, TimeoutError, ValidationError } from './kinds';
import { parseRetryAfter } from './retry-after';
import { deserializeError, serializeError } from './serialize';

describe('error taxonomy', () => {
  it('states intent through code and retryable', () => {
    expect(new RetryableError('flaky')).toMatchObject({
      code: 'RETRYABLE',
      retryable: true,
      name: 'RetryableError',
    });
    expect(new NonRetryableError('declined', { code: 'CARD_DECLINED' })).toMatchObject({
      code: 'CARD_DECLINED',
      retryable: false,
    });
    expect(new RateLimitedError('slow down', { retryAfterMs: 2000 })).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(new TimeoutError('late')).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('keeps instanceof along the class chain', () => {
    const error = new RateLimitedError('x', { retryAfterMs: 1 });
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toBeInstanceOf(BatonError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(NonRetryableError);
  });

  it('recognises errors made by another copy of the SDK', () => {
    // A second copy has its own classes but the same registered symbols and names.
    const marker = Symbol.for('baton.error');
    const kinds = Symbol.for('baton.error.kinds');
    const foreign = Object.assign(new Error('from a bundled copy'), {
      code: 'CARD_DECLINED',
      retryable: false,
    });
    Object.defineProperty(foreign, marker, { value: true });
    Object.defineProperty(foreign, kinds, { value: ['NonRetryableError', 'BatonError'] });
    expect(isBatonError(foreign)).toBe(true);
    expect(foreign).toBeInstanceOf(NonRetryableError);
    expect(foreign).not.toBeInstanceOf(RetryableError);
    expect(toBatonError(foreign)).toBe(foreign);
  });
});

describe('toBatonError', () => {
  it('classifies zod errors as non-retryable validation errors naming paths', () => {
    const result = z
      .object({ user: z.object({ email: z.string().email() }) })
      .safeParse({ user: { email: 'x' } });
    const error = toBatonError(result.error);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('user.email');
  });

  it('classifies aborts as timeouts and network failures as retryable', () => {
    expect(toBatonError(new DOMException('aborted', 'AbortError'))).toBeInstanceOf(TimeoutError);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toBatonError(refused)).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(toBatonError(wrapped)).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  });

  it('treats unknown errors as retryable', () => {
    expect(toBatonError(new Error('boom'))).toMatchObject({ code: 'UNEXPECTED_ERROR', retryable: true });
    expect(toBatonError('a string')).toMatchObject({ code: 'UNEXPECTED_ERROR', message: 'a string' });
  });
});

describe('HttpError', () => {
  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [400, false],
    [401, false],
    [404, false],
    [422, false],
  ])('status %i retryable=%s', (status, retryable) => {
    expect(new HttpError('x', { method: 'GET', url: 'http://x', status }).retryable).toBe(retryable);
  });

  it('keeps the response for mapping but never serializes it', () => {
    const error = new HttpError('POST /v1/charges failed: 402', {
      method: 'POST',
      url: 'https://api.example/v1/charges',
      status: 402,
      response: {
        status: 402,
        headers: {},
        data: { error: { code: 'card_declined', card: '4000000000000002' } },
      },
    });
    expect(error.response?.data).toBeDefined();
    expect(JSON.stringify(serializeError(error))).not.toContain('4000000000000002');
    expect(Object.keys(error)).not.toContain('response');
  });
});

describe('serializeError', () => {
  it('produces the documented shape and round-trips', () => {
    const cause = new RetryableError('socket hang up', { code: 'NETWORK_ERROR' });
    const error = new RateLimitedError('slow down', { retryAfterMs: 1500, cause });
    const data = serializeError(error);
    expect(data).toEqual({
      name: 'RateLimitedError',
      code: 'RATE_LIMITED',
      message: 'slow down',
      retryable: true,
      retryAfterMs: 1500,
      cause: { name: 'RetryableError', code: 'NETWORK_ERROR', message: 'socket hang up', retryable: true },
    });
    const back = deserializeError(JSON.parse(JSON.stringify(data)));
    expect(back).toBeInstanceOf(BatonError);
    expect(back).toMatchObject({
      name: 'RateLimitedError',
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 1500,
    });
  });

  it('scrubs secrets from messages, details and causes', () => {
    const secret = 'sk_live_supersecret';
    const error = new NonRetryableError(`bad key ${secret}`, {
      details: { url: `https://x/?k=${secret}` },
      cause: new Error(`inner ${secret}`),
    });
    expect(JSON.stringify(serializeError(error, { secrets: [secret] }))).not.toContain(secret);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('parseRetryAfter, header values as clients give them', () => {
  it('reads numbers and arrays, and ignores other values', () => {
    expect(parseRetryAfter(2)).toBe(2000);
    expect(parseRetryAfter(['4', '9'])).toBe(4000);
    expect(parseRetryAfter(-1)).toBeUndefined();
    expect(parseRetryAfter(Number.NaN)).toBeUndefined();
    expect(parseRetryAfter({ seconds: 3 })).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
