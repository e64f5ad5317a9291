import { describe, expect, it } from 'vitest';
import { BatonError } from '../errors/baton-error';
import { HttpError } from '../errors/http-error';
import { NonRetryableError, RateLimitedError, RetryableError } from '../errors/kinds';
import { deserializeError, serializeError } from '../errors/serialize';
import { DEFAULT_THROTTLE_PAUSE_MS, throttleOf, throttleOfAnswer } from './provider-throttle';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('throttleOfAnswer', () => {
  it('pauses a 429 or 503 for its Retry-After', () => {
    expect(throttleOfAnswer(429, { 'retry-after': '3' }, now)).toEqual({
      pauseMs: 3000,
      source: 'retry-after',
      status: 429,
    });
    expect(throttleOfAnswer(503, { 'Retry-After': 'Sun, 01 Mar 2026 12:00:20 GMT' }, now)).toEqual({
      pauseMs: 20_000,
      source: 'retry-after',
      status: 503,
    });
  });

  it('falls back to the rate-limit reset, then to one second for a 429', () => {
    expect(throttleOfAnswer(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '8' }, now)).toEqual({
      pauseMs: 8000,
      source: 'x-ratelimit',
      status: 429,
    });
    // The status already says the budget is spent, whatever remaining claims.
    expect(throttleOfAnswer(429, { 'ratelimit-remaining': '3', 'ratelimit-reset': '2' }, now)?.pauseMs).toBe(
      2000,
    );
    expect(throttleOfAnswer(429, {}, now)).toEqual({
      pauseMs: DEFAULT_THROTTLE_PAUSE_MS,
      source: 'retry-after',
      status: 429,
    });
  });

  it('does not call a 503 without any hint throttling', () => {
    expect(throttleOfAnswer(503, {}, now)).toBeUndefined();
    expect(throttleOfAnswer(503, { 'retry-after': 'later' }, now)).toBeUndefined();
    expect(throttleOfAnswer(503, { ratelimit: 'limit=10, remaining=0, reset=4' }, now)?.pauseMs).toBe(4000);
  });

  it('pauses on a 2xx whose headers say the budget is spent, and only then', () => {
    expect(throttleOfAnswer(200, { ratelimit: '"default";r=0;t=5' }, now)).toEqual({
      pauseMs: 5000,
      source: 'ratelimit',
      status: 200,
    });
    expect(
      throttleOfAnswer(201, { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '5' }, now),
    ).toBeUndefined();
    expect(throttleOfAnswer(200, { 'x-ratelimit-remaining': '0' }, now)).toBeUndefined();
    expect(
      throttleOfAnswer(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }, now),
    ).toBeUndefined();
    expect(throttleOfAnswer(404, { 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }, now)?.status).toBe(
      404,
    );
  });

  it('caps a Retry-After of days at 24 hours', () => {
    expect(throttleOfAnswer(429, { 'retry-after': '99999999' }, now)?.pauseMs).toBe(86_400_000);
  });
});

describe('throttleOf', () => {
  const http429 = (headers: Record<string, string>, retryAfterMs?: number) =>
    new HttpError('POST https://api.example/x failed: 429', {
      method: 'POST',
      url: 'https://api.example/x',
      status: 429,
      code: 'RATE_LIMITED',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      response: { status: 429, headers, data: {} },
    });

  it('recognises the HttpError of a 429, with the source of its wait', () => {
    expect(throttleOf(http429({ 'retry-after': '2' }, 2000))).toEqual({
      pauseMs: 2000,
      source: 'retry-after',
      status: 429,
    });
    expect(throttleOf(http429({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '6' }, 6000))).toEqual({
      pauseMs: 6000,
      source: 'x-ratelimit',
      status: 429,
    });
    expect(throttleOf(http429({}))).toEqual({ pauseMs: 1000, source: 'retry-after', status: 429 });
  });

  it('recognises a 503 only when it carried a wait', () => {
    const with503 = (retryAfterMs?: number) =>
      new HttpError('GET x failed: 503', {
        method: 'GET',
        url: 'x',
        status: 503,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    expect(throttleOf(with503(4000))).toEqual({ pauseMs: 4000, source: 'retry-after', status: 503 });
    expect(throttleOf(with503())).toBeUndefined();
  });

  it('recognises a RateLimitedError an action threw, whatever its code', () => {
    expect(throttleOf(new RateLimitedError('slow down', { retryAfterMs: 2500 }))).toEqual({
      pauseMs: 2500,
      source: 'action',
    });
    expect(
      throttleOf(new RateLimitedError('quota', { retryAfterMs: 60_000, code: 'ACME_QUOTA_EXCEEDED' })),
    ).toEqual({ pauseMs: 60_000, source: 'action' });
  });

  it('recognises errors rebuilt from run records and other copies of the SDK', () => {
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(http429({}, 3000)))));
    expect(throttleOf(back)).toEqual({ pauseMs: 3000, source: 'retry-after', status: 429 });
    const action = deserializeError(serializeError(new RateLimitedError('x', { retryAfterMs: 700 })));
    expect(throttleOf(action)).toEqual({ pauseMs: 700, source: 'action' });
  });

  it('ignores everything else', () => {
    expect(throttleOf(new Error('429 Too Many Requests'))).toBeUndefined();
    expect(throttleOf(undefined)).toBeUndefined();
    expect(throttleOf(new RetryableError('flaky', { retryAfterMs: 100 }))).toBeUndefined();
    expect(throttleOf(new NonRetryableError('no', { code: 'X', cause: http429({}, 1000) }))).toBeUndefined();
    expect(
      throttleOf(new HttpError('x', { method: 'GET', url: 'x', status: 500, retryAfterMs: 100 })),
    ).toBeUndefined();
    expect(throttleOf(new BatonError('x', { code: 'TIMEOUT' }))).toBeUndefined();
  });
});
