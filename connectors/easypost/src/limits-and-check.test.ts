import { createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);

describe('easypost limits', () => {
  it('declares none: EasyPost publishes no fixed limit for the endpoints the actions call', () => {
    expect(connector.limits).toBeUndefined();
    expect(instance({ apiKey: 'EZAK_live' }).limits).toBeUndefined();
  });
});

describe('easypost check', () => {
  it('passes with a key EasyPost accepts: reading a shipment that does not exist is answered 404', async () => {
    const carrier = instance({ baseUrl: `${sandbox.url}/easypost/v2`, apiKey: 'EZTK_sandbox' });
    await expect(carrier.check()).resolves.toBeUndefined();
    expect(sandbox.state.requests.filter((r) => r.system === 'easypost').at(-1)).toMatchObject({
      method: 'GET',
      path: '/easypost/v2/shipments/shp_baton_credentials_check',
      status: 404,
    });
  });

  it('fails, not retryable, with the code and reason EasyPost gives for a refused key', async () => {
    await using server = await createTestServer(() => ({
      status: 401,
      json: { error: { code: 'APIKEY.INACTIVE', message: 'This api key is no longer active.', errors: [] } },
    }));
    const error = await instance({ baseUrl: server.url, apiKey: 'EZAK_revoked' })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'APIKEY.INACTIVE',
      retryable: false,
      message: 'EasyPost answered 401 APIKEY.INACTIVE: This api key is no longer active.',
    });
    expect(JSON.stringify(error)).not.toContain('EZAK_revoked');
  });

  it('fails on the sandbox when no key is sent at all', async () => {
    await expect(
      instance({ baseUrl: `${sandbox.url}/easypost/v2`, apiKey: ' ' }).check(),
    ).rejects.toMatchObject({ code: 'APIKEY.REQUIRED', retryable: false });
  });
});
