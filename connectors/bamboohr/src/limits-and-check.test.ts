import { createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);

describe('bamboohr limits', () => {
  it('declares none: BambooHR publishes no figure', () => {
    expect(connector.limits).toBeUndefined();
    expect(instance({ companyDomain: 'acme', apiKey: 'key-1' }).limits).toBeUndefined();
  });
});

describe('bamboohr check', () => {
  it('passes with a key BambooHR accepts, reading one employee of the list', async () => {
    const hr = instance({
      companyDomain: 'acme',
      apiKey: 'bamboo-test-key-123',
      baseUrl: `${sandbox.url}/bamboohr/api/gateway.php/acme/v1`,
    });
    await expect(hr.check()).resolves.toBeUndefined();
    expect(sandbox.state.requests.filter((r) => r.system === 'bamboohr').at(-1)).toMatchObject({
      method: 'GET',
      path: '/bamboohr/api/gateway.php/acme/v1/employees',
      status: 200,
    });
  });

  it('fails, not retryable, with the reason BambooHR gives for a refused key', async () => {
    await using server = await createTestServer(() => ({
      status: 401,
      headers: { 'x-bamboohr-error-message': 'Invalid API key' },
    }));
    const error = await instance({ companyDomain: 'acme', apiKey: 'revoked-key-77', baseUrl: server.url })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'BAMBOOHR_UNAUTHORIZED',
      retryable: false,
      message: 'BambooHR rejected the API key while trying to list employees: Invalid API key',
    });
    expect(server.requests[0]).toMatchObject({ path: '/employees', query: { 'page[limit]': '1' } });
  });
});
