import { describe, expect, it } from 'vitest';
import { MAX_PAUSE_MS, parseRateLimitHeaders } from './rate-limit-headers';

const now = Date.parse('2026-03-01T12:00:00Z');
const nowSeconds = now / 1000;

describe('parseRateLimitHeaders: X-RateLimit-*', () => {
  it('reads remaining, limit and a reset in seconds from now', () => {
    expect(
      parseRateLimitHeaders(
        { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Limit': '100', 'X-RateLimit-Reset': '7' },
        now,
      ),
    ).toEqual({ source: 'x-ratelimit', remaining: 0, limit: 100, resetMs: 7000 });
  });

  it('reads a reset above 1e9 as epoch seconds and above 1e12 as epoch milliseconds', () => {
    const seconds = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds + 42) };
    expect(parseRateLimitHeaders(seconds, now)?.resetMs).toBe(42_000);
    const millis = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now + 1500) };
    expect(parseRateLimitHeaders(millis, now)?.resetMs).toBe(1500);
  });

  it('reads a reset epoch in the past as 0', () => {
    const past = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds - 30) };
    expect(parseRateLimitHeaders(past, now)?.resetMs).toBe(0);
  });

  it('reads fractional seconds, X-Rate-Limit-* spellings and Reset-After', () => {
    expect(
      parseRateLimitHeaders({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1.5' }, now),
    ).toEqual({ source: 'x-ratelimit', remaining: 0, resetMs: 1500 });
    expect(
      parseRateLimitHeaders(
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '2.25', 'x-ratelimit-reset': '999' },
        now,
      )?.resetMs,
    ).toBe(2250);
  });

  it('reads an HTTP date or an ISO date as a reset', () => {
    expect(
      parseRateLimitHeaders(
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'Sun, 01 Mar 2026 12:00:10 GMT' },
        now,
      )?.resetMs,
    ).toBe(10_000);
    expect(
      parseRateLimitHeaders(
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-03-01T12:01:00Z' },
        now,
      )?.resetMs,
    ).toBe(60_000);
  });

  it('takes the first value of a repeated header, and arrays as Node gives them', () => {
    expect(
      parseRateLimitHeaders({ 'x-ratelimit-remaining': '0, 0', 'x-ratelimit-reset': '3, 3' }, now),
    ).toEqual({ source: 'x-ratelimit', remaining: 0, resetMs: 3000 });
    expect(
      parseRateLimitHeaders({ 'x-ratelimit-remaining': ['0'], 'x-ratelimit-reset': ['4'] }, now),
    ).toEqual({
      source: 'x-ratelimit',
      remaining: 0,
      resetMs: 4000,
    });
  });

  it('reads a Fetch Headers object', () => {
    const headers = new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '5' });
    expect(parseRateLimitHeaders(headers, now)).toEqual({
      source: 'x-ratelimit',
      remaining: 0,
      resetMs: 5000,
    });
  });
});

describe('parseRateLimitHeaders: IETF fields', () => {
  it('reads RateLimit-Remaining, -Limit and -Reset (delta seconds)', () => {
    expect(
      parseRateLimitHeaders(
        { 'RateLimit-Limit': '10', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '9' },
        now,
      ),
    ).toEqual({ source: 'ratelimit', remaining: 0, limit: 10, resetMs: 9000 });
  });

  it('reads the structured dictionary form', () => {
    expect(parseRateLimitHeaders({ RateLimit: 'limit=100, remaining=0, reset=5' }, now)).toEqual({
      source: 'ratelimit',
      remaining: 0,
      limit: 100,
      resetMs: 5000,
    });
  });

  it('reads the structured list form, one item per policy, the spent one with the longest reset winning', () => {
    expect(parseRateLimitHeaders({ ratelimit: '"default";r=0;t=5' }, now)).toEqual({
      source: 'ratelimit',
      remaining: 0,
      resetMs: 5000,
    });
    expect(
      parseRateLimitHeaders({ ratelimit: '"burst";r=0;t=2, "day";r=0;t=3600, "hour";r=40;t=600' }, now),
    ).toEqual({ source: 'ratelimit', remaining: 0, resetMs: 3_600_000 });
    expect(parseRateLimitHeaders({ ratelimit: '"burst";r=9;t=2, "day";r=3;t=3600' }, now)).toEqual({
      source: 'ratelimit',
      remaining: 3,
      resetMs: 3_600_000,
    });
    expect(parseRateLimitHeaders({ ratelimit: 'default;r=0;t=1' }, now)?.resetMs).toBe(1000);
    expect(parseRateLimitHeaders({ ratelimit: '"a,b";r=0;t=8' }, now)?.resetMs).toBe(8000);
  });

  it('prefers the family that says the budget is spent', () => {
    expect(
      parseRateLimitHeaders(
        {
          'ratelimit-remaining': '12',
          'ratelimit-reset': '1',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '60',
        },
        now,
      ),
    ).toEqual({ source: 'x-ratelimit', remaining: 0, resetMs: 60_000 });
    expect(
      parseRateLimitHeaders(
        {
          'ratelimit-remaining': '12',
          'ratelimit-reset': '1',
          'x-ratelimit-remaining': '40',
          'x-ratelimit-reset': '60',
        },
        now,
      )?.source,
    ).toBe('ratelimit');
  });
});

describe('parseRateLimitHeaders: garbage', () => {
  it('answers undefined without rate-limit headers', () => {
    expect(parseRateLimitHeaders({}, now)).toBeUndefined();
    expect(
      parseRateLimitHeaders({ 'content-type': 'application/json', 'retry-after': '5' }, now),
    ).toBeUndefined();
  });

  it.each([
    ['negative', { 'x-ratelimit-remaining': '-1', 'x-ratelimit-reset': '-5' }],
    ['words', { 'x-ratelimit-remaining': 'none', 'x-ratelimit-reset': 'soon' }],
    ['empty', { 'x-ratelimit-remaining': '', 'x-ratelimit-reset': ' ' }],
    ['exponents', { 'x-ratelimit-remaining': '0e0', 'x-ratelimit-reset': '1e99' }],
    ['NaN and Infinity', { 'x-ratelimit-remaining': 'NaN', 'x-ratelimit-reset': 'Infinity' }],
    ['hex', { 'ratelimit-remaining': '0x0', 'ratelimit-reset': '0x10' }],
    ['a number that looks like a year', { 'x-ratelimit-reset': '1 day' }],
    ['a structured field of nonsense', { ratelimit: ';;;,,,"unterminated' }],
    ['structured values that are not numbers', { ratelimit: 'limit=a, remaining=b, reset=c' }],
    ['structured list params that are not numbers', { ratelimit: '"x";r=zero;t=-1' }],
    ['values that are not strings', { 'x-ratelimit-remaining': { 0: 1 }, 'x-ratelimit-reset': null }],
  ])('ignores %s', (_label, headers) => {
    expect(parseRateLimitHeaders(headers as Record<string, unknown>, now)).toBeUndefined();
  });

  it('keeps what is good and drops what is not', () => {
    expect(
      parseRateLimitHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'later' }, now),
    ).toEqual({
      source: 'x-ratelimit',
      remaining: 0,
    });
  });

  it('caps absurd resets at 24 hours', () => {
    expect(
      parseRateLimitHeaders({ 'ratelimit-remaining': '0', 'ratelimit-reset': '999999999' }, now)?.resetMs,
    ).toBe(MAX_PAUSE_MS);
    expect(parseRateLimitHeaders({ ratelimit: '"y";r=0;t=31536000' }, now)?.resetMs).toBe(MAX_PAUSE_MS);
    const farEpoch = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds + 10 * 86_400) };
    expect(parseRateLimitHeaders(farEpoch, now)?.resetMs).toBe(MAX_PAUSE_MS);
  });

  it('never throws, whatever it is given', () => {
    const throwing = {
      get() {
        throw new Error('broken headers');
      },
    };
    expect(parseRateLimitHeaders(throwing, now)).toBeUndefined();
    const huge = { ratelimit: `"p";r=0;t=5,${'x'.repeat(100_000)}` };
    expect(() => parseRateLimitHeaders(huge, now)).not.toThrow();
    for (let i = 0; i < 200; i++) {
      const noise = String.fromCharCode(
        ...Array.from({ length: 12 }, (_, j) => 32 + ((i * 7 + j * 13) % 95)),
      );
      expect(() =>
        parseRateLimitHeaders(
          { ratelimit: noise, 'x-ratelimit-reset': noise, 'ratelimit-remaining': noise },
          now,
        ),
      ).not.toThrow();
    }
  });
});
