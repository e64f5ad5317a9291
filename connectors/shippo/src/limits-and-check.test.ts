import { createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);

describe('shippo limits', () => {
  it("declares Shippo's POST limit: 500 requests per minute live, 50 with a test token", () => {
    expect(instance({ apiKey: 'shippo_live_abc' }).limits).toEqual({ rate: { requests: 500, per: '1m' } });
    expect(instance({ apiKey: 'shippo_test_abc' }).limits).toEqual({ rate: { requests: 50, per: '1m' } });
  });
});

describe('shippo check', () => {
  it('passes with a token Shippo accepts, reading one transaction at most', async () => {
    const carrier = instance({ baseUrl: `${sandbox.url}/shippo`, apiKey: 'shippo_test_sandbox' });
    await expect(carrier.check()).resolves.toBeUndefined();
    expect(sandbox.state.requests.filter((r) => r.system === 'shippo').at(-1)).toMatchObject({
      method: 'GET',
      path: '/shippo/transactions',
      status: 200,
    });
  });

  it('fails, not retryable, with the reason Shippo gives for a refused token', async () => {
    await using server = await createTestServer(() => ({ status: 401, json: { detail: 'Invalid token.' } }));
    const error = await instance({ baseUrl: server.url, apiKey: 'shippo_live_revoked' })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'AUTHENTICATION_FAILED',
      retryable: false,
      message: 'Shippo answered 401: Invalid token.',
    });
    expect(server.requests[0]).toMatchObject({ path: '/transactions', query: { results: '1' } });
    expect(server.requests[0]?.headers.authorization).toBe('ShippoToken shippo_live_revoked');
  });
});
