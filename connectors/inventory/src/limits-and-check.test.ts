import { createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);

describe('inventory limits', () => {
  it("declares Shopify's REST Admin limit: a 40-request bucket draining 2 per second, as 40 per 20 s", () => {
    expect(instance({ shop: 'acme', accessToken: 'shpat_1' }).limits).toEqual({
      rate: { requests: 40, per: '20s' },
    });
  });
});

describe('inventory check', () => {
  it('passes with a token the API accepts, listing the locations', async () => {
    const stock = instance({
      shop: 'acme',
      accessToken: 'shpat_sandbox',
      baseUrl: `${sandbox.url}/inventory/admin/api/2024-10`,
    });
    await expect(stock.check()).resolves.toBeUndefined();
    expect(sandbox.state.requests.filter((r) => r.system === 'inventory').at(-1)).toMatchObject({
      method: 'GET',
      path: '/inventory/admin/api/2024-10/locations.json',
      status: 200,
    });
  });

  it('fails, not retryable, with the message the API gives for a refused token', async () => {
    await using server = await createTestServer(() => ({
      status: 401,
      json: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
    }));
    const error = await instance({ shop: 'acme', accessToken: 'shpat_revoked_31', baseUrl: server.url })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INVENTORY_UNAUTHORIZED',
      retryable: false,
      message:
        'The inventory API rejected the access token while trying to list the locations: [API] Invalid API key or access token (unrecognized login or wrong password)',
    });
    expect(server.requests[0]?.headers['x-shopify-access-token']).toBe('shpat_revoked_31');
  });
});
