import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config';

const check = (http: object) => {
  const { config, diagnostics } = parseConfig(JSON.stringify({ http }), 'baton.config.json');
  return { config, messages: diagnostics.map((d) => d.message) };
};

describe('the http limits in baton.config.json', () => {
  it('takes durations and counts', () => {
    const http = {
      headersTimeout: '5s',
      requestTimeout: '1m',
      keepAliveTimeout: '2s',
      maxConnections: 4096,
      maxBodyBytesInFlight: 268435456,
    };
    expect(check(http)).toEqual({ config: { http }, messages: [] });
  });

  it('refuses a timeout of 0 (which would turn it off) and headers allowed longer than the request', () => {
    expect(check({ keepAliveTimeout: '0s' }).messages).toEqual([
      expect.stringMatching(/keepAliveTimeout: must be longer than 0/),
    ]);
    expect(check({ headersTimeout: '45s' }).messages).toEqual([
      expect.stringMatching(/headersTimeout: must not be longer than requestTimeout/),
    ]);
    expect(check({ maxConnections: 0 }).messages).toHaveLength(1);
    expect(check({ maxConnection: 10 }).messages).toEqual([expect.stringMatching(/unknown property/)]);
  });
});
