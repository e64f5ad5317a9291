import { afterEach, describe, expect, it } from 'vitest';
import type { HttpError } from '../errors/http-error';
import type { ProviderThrottle } from '../limits/types';
import { createTestServer, type TestServer } from '../testing/test-server';
import { createHttpClient } from './create-http-client';

const loopback = { allow: ['loopback'] };
const servers: TestServer[] = [];
async function server(...args: Parameters<typeof createTestServer>) {
  const s = await createTestServer(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function recording() {
  const throttles: ProviderThrottle[] = [];
  return { throttles, onThrottle: (t: ProviderThrottle) => throttles.push(t) };
}

describe('provider throttle signals of the HTTP client', () => {
  it('reports a 429 with its Retry-After, and the error waits as long', async () => {
    const s = await server(() => ({ status: 429, headers: { 'retry-after': '4' }, json: {} }));
    const { throttles, onThrottle } = recording();
    const http = createHttpClient({ baseURL: s.url, egress: loopback, onThrottle });
    await expect(http.get('/x')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 4000 });
    expect(throttles).toEqual([{ pauseMs: 4000, source: 'retry-after', status: 429 }]);
  });

  it('gives a 429 without Retry-After the wait its rate-limit headers name', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 30);
    const s = await server(() => ({
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      json: {},
    }));
    const { throttles, onThrottle } = recording();
    const http = createHttpClient({ baseURL: s.url, egress: loopback, onThrottle });
    const error = (await http.get('/x').catch((e: unknown) => e)) as HttpError;
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect(error.retryAfterMs).toBeGreaterThan(28_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(throttles).toHaveLength(1);
    expect(throttles[0]).toMatchObject({ source: 'x-ratelimit', status: 429 });
  });

  it('reports a bare 429 as a one-second pause, and a bare 503 not at all', async () => {
    const s = await server((req) => ({ status: req.path === '/busy' ? 429 : 503, json: {} }));
    const { throttles, onThrottle } = recording();
    const http = createHttpClient({ baseURL: s.url, egress: loopback, onThrottle });
    await expect(http.get('/busy')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(http.get('/down')).rejects.toMatchObject({ code: 'HTTP_503' });
    expect(throttles).toEqual([{ pauseMs: 1000, source: 'retry-after', status: 429 }]);
  });

  it('reports a 503 with Retry-After, which the error carries too', async () => {
    const s = await server(() => ({ status: 503, headers: { 'retry-after': '2' }, json: {} }));
    const { throttles, onThrottle } = recording();
    const http = createHttpClient({ baseURL: s.url, egress: loopback, onThrottle });
    await expect(http.get('/x')).rejects.toMatchObject({ code: 'HTTP_503', retryAfterMs: 2000 });
    expect(throttles).toEqual([{ pauseMs: 2000, source: 'retry-after', status: 503 }]);
  });

  it('reports a successful answer whose headers say the budget is spent, and lets it through', async () => {
    let left = 2;
    const s = await server(() => {
      left--;
      return { headers: { ratelimit: `"default";r=${left};t=5` }, json: { left } };
    });
    const { throttles, onThrottle } = recording();
    const http = createHttpClient({ baseURL: s.url, egress: loopback, onThrottle });
    expect((await http.get('/a')).data).toEqual({ left: 1 });
    expect(throttles).toEqual([]);
    expect((await http.get('/b')).data).toEqual({ left: 0 });
    expect(throttles).toEqual([{ pauseMs: 5000, source: 'ratelimit', status: 200 }]);
  });

  it('keeps the answer when onThrottle throws', async () => {
    const s = await server(() => ({
      headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '3' },
      json: {},
    }));
    const http = createHttpClient({
      baseURL: s.url,
      egress: loopback,
      onThrottle: () => {
        throw new Error('bookkeeping broke');
      },
    });
    await expect(http.get('/x')).resolves.toMatchObject({ status: 200 });
  });
});
