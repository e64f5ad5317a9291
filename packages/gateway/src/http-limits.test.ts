import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_LIMITS, httpServerOptions, resolveHttpLimits } from './http-limits';

describe('resolveHttpLimits', () => {
  it('takes the options over the hub config over the defaults', () => {
    expect(resolveHttpLimits(undefined)).toEqual(DEFAULT_HTTP_LIMITS);
    const limits = resolveHttpLimits(
      { headersTimeout: '2s', requestTimeout: '1m', maxConnections: 10 },
      { maxConnections: 20, maxBodyBytesInFlight: 1000 },
    );
    expect(limits).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 20,
      maxBodyBytesInFlight: 1000,
    });
  });

  it('refuses a limit that would turn a check off, or headers allowed longer than the request', () => {
    expect(() => resolveHttpLimits(undefined, { maxConnections: 0 })).toThrow(/maxConnections must be/);
    expect(() => resolveHttpLimits(undefined, { requestTimeoutMs: 1.5 })).toThrow(/requestTimeoutMs/);
    expect(() => resolveHttpLimits({ headersTimeout: '1m' })).toThrow(/not be longer than requestTimeoutMs/);
  });

  it('has Node check its timeouts often enough to hold them', () => {
    expect(httpServerOptions(DEFAULT_HTTP_LIMITS).connectionsCheckingInterval).toBe(1000);
    const short = resolveHttpLimits(undefined, { headersTimeoutMs: 200, requestTimeoutMs: 400 });
    expect(httpServerOptions(short).connectionsCheckingInterval).toBe(50);
  });
});
