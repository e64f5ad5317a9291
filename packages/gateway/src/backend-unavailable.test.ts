import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { createRedisBackend } from '@baton/runtime';
import { BatonError } from '@baton/sdk';
import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors';
import { knownFailure } from './known-failure';
import { gatewayFixture } from './test-support/gateway-fixture';
import { json } from './test-support/json';
import { orderBody, signers } from './test-support/signers';

/** A redis-server of this test's own, which it kills; Redis comes with the test machine. */
async function throwawayRedis() {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The Redis backend on `url`, once redis-server accepts connections. */
async function backendOn(url: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await createRedisBackend({ url });
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('the backend unavailable', () => {
  it('answers webhooks and the admin API 503 BACKEND_UNAVAILABLE with Retry-After, and logs no error per request', async () => {
    const redis = await throwawayRedis();
    const backend = await backendOn(redis.url);
    const gw = await gatewayFixture({ backend, worker: false });
    await redis.kill();
    try {
      const body = orderBody();
      const limitedBody = '{"type":"ping","id":"evt_1"}';
      const requests: Array<[string, RequestInit]> = [
        ['/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) }],
        [
          // Through the shared rate limiter first.
          '/webhooks/limited',
          {
            method: 'POST',
            body: limitedBody,
            headers: {
              'content-type': 'application/json',
              'x-signature': createHmac('sha256', 'limited-secret').update(limitedBody).digest('base64'),
            },
          },
        ],
        ['/api/runs', { method: 'GET' }],
        ['/api/runs/run_0000', { method: 'GET' }],
        ['/api/connectors', { method: 'GET' }],
        [
          '/api/flows/order/trigger',
          { method: 'POST', body: '{"data":{}}', headers: { 'content-type': 'application/json' } },
        ],
        ['/api/runs/run_0000/replay', { method: 'POST' }],
        ['/api/runs/run_0000/cancel', { method: 'POST' }],
      ];
      for (const [path, init] of requests) {
        const res = await gw.app.request(path, init);
        const answer = await json(res);
        expect({ path, status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({
          path,
          status: 503,
          retryAfter: '5',
        });
        expect(answer.error.code, path).toBe('BACKEND_UNAVAILABLE');
        // The backend's message names Redis's address: not for the sender.
        expect(answer.error.message, path).not.toMatch(/redis|127\.0\.0\.1|6379/i);
      }
      const ready = await gw.app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(
        gw.logs.map((line) => JSON.parse(line) as { level: number }).filter((l) => l.level >= 50),
      ).toEqual([]);
    } finally {
      await gw.close().catch(() => {});
      await redis.kill();
    }
  });

  it('knows the backend refusals by their code, from any copy of the SDK; other errors are not its to answer', () => {
    const unavailable = new BatonError('Redis is unavailable: connect ECONNREFUSED 10.0.0.5:6379', {
      code: 'BACKEND_UNAVAILABLE',
      retryable: true,
    });
    expect(knownFailure(unavailable, 'webhook')).toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      status: 503,
      retryAfterSeconds: 5,
      message: expect.stringContaining('the event was not acknowledged'),
      cause: unavailable,
    });
    expect(knownFailure(unavailable)?.message).not.toMatch(/10\.0\.0\.5|event/);
    // Strict mode: the write may be in memory, not yet on disk; the sender's retry is answered as a duplicate.
    const unconfirmed = new BatonError('Redis did not confirm the write reached its append-only file', {
      code: 'DURABILITY_TIMEOUT',
      retryable: true,
    });
    expect(knownFailure(unconfirmed, 'webhook')).toMatchObject({
      code: 'DURABILITY_TIMEOUT',
      status: 503,
      retryAfterSeconds: 1,
    });
    // What a second copy of @baton/sdk makes: the same marker, another class.
    const fromAnotherCopy = Object.defineProperty(
      Object.assign(new Error('Redis is unavailable'), { code: 'BACKEND_UNAVAILABLE' }),
      Symbol.for('baton.error'),
      { value: true },
    );
    expect(knownFailure(fromAnotherCopy)?.code).toBe('BACKEND_UNAVAILABLE');

    const refusal = new GatewayError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 3 });
    expect(knownFailure(refusal)).toBe(refusal);
    expect(knownFailure(new BatonError('another failure'))).toBeUndefined();
    expect(knownFailure(new BatonError('inherited', { code: 'toString' }))).toBeUndefined();
    expect(knownFailure(new TypeError('a bug'))).toBeUndefined();
    // Same code, no marker: not a Baton error.
    expect(knownFailure(Object.assign(new Error('x'), { code: 'BACKEND_UNAVAILABLE' }))).toBeUndefined();
  });
});
