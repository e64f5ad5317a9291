import { createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);

describe('scim limits', () => {
  it('declares none: SCIM defines none, each directory sets its own', () => {
    expect(connector.limits).toBeUndefined();
    expect(instance({ baseUrl: 'https://scim.example.com/v2', token: 't-1' }).limits).toBeUndefined();
  });
});

describe('scim check', () => {
  it('passes with a token the directory accepts, listing one user at most', async () => {
    const directory = instance({ baseUrl: `${sandbox.url}/scim/v2`, token: 'scim-test-token' });
    await expect(directory.check()).resolves.toBeUndefined();
    expect(sandbox.state.requests.filter((r) => r.system === 'scim').at(-1)).toMatchObject({
      method: 'GET',
      path: '/scim/v2/Users',
      status: 200,
    });
  });

  it('fails, not retryable, with the detail the directory gives for a refused token', async () => {
    await using server = await createTestServer(() => ({
      status: 401,
      headers: { 'content-type': 'application/scim+json' },
      json: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: 'The bearer token is expired',
      },
    }));
    const error = await instance({ baseUrl: server.url, token: 'scim-expired-5150' })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SCIM_UNAUTHORIZED',
      retryable: false,
      message: 'The directory rejected the token while trying to list users: The bearer token is expired',
    });
    expect(server.requests[0]).toMatchObject({ path: '/Users', query: { startIndex: '1', count: '1' } });
  });
});
