import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { type ConnectorInstance, createConnectorInstance } from '@baton/sdk/host';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector, { type FindContactOutput } from './index';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

/** An instance whose OAuth2 app is the sandbox's client, with its seeded refresh token. */
const crm = (oauth: Record<string, string> = {}) =>
  createConnectorInstance(
    connector,
    {
      baseUrl: `${sandbox.url}/hubspot`,
      oauth: {
        clientId: 'sandbox-client',
        clientSecret: 'sandbox-secret',
        refreshToken: 'sandbox-refresh-token',
        ...oauth,
      },
    },
    { name: 'crm', egress: { allow: ['loopback', 'localhost'] } },
  );

let key = 0;
const findJane = (instance: ConnectorInstance) =>
  instance.invoke('find-contact', {
    input: { email: 'jane.doe@example.com' },
    idempotencyKey: `oauth-test-${++key}`,
  }) as Promise<FindContactOutput>;

const control = async (path: string, method = 'GET') =>
  (await fetch(`${sandbox.url}/_sandbox/oauth${path}`, { method })).json() as Promise<
    Record<string, unknown>
  >;
const tokenRequests = async () => {
  const stats = (await control('/stats')) as { tokenRequests?: Record<string, number> };
  return Object.values(stats.tokenRequests ?? {}).reduce((sum, n) => sum + n, 0);
};

describe('hubspot with an OAuth2 app', () => {
  it("gets an access token from the sandbox's token endpoint, and calls HubSpot with it", async () => {
    const instance = crm();
    expect(await findJane(instance)).toMatchObject({ found: true, contact: { id: '51' } });
    expect(await findJane(instance)).toMatchObject({ found: true });
    expect(await tokenRequests()).toBe(1);
    expect(await instance.credentialStatus()).toMatchObject({ state: 'valid' });
    await expect(instance.check()).resolves.toBeUndefined();
  });

  it('refreshes the token once HubSpot says it expired, and the call succeeds', async () => {
    const instance = crm();
    await findJane(instance);
    await control('/expire', 'POST');
    expect(await findJane(instance)).toMatchObject({ found: true, contact: { id: '51' } });
    expect(await tokenRequests()).toBe(2);
    const searches = sandbox.state.requests.filter(
      (r) => r.path === '/hubspot/crm/v3/objects/contacts/search',
    );
    expect(searches.map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('fails with CREDENTIALS_INVALID, not retried, when the token endpoint refuses the grant', async () => {
    const instance = crm({ clientSecret: 'wrong-secret-2718' });
    const error = await findJane(instance).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CREDENTIALS_INVALID', retryable: false });
    expect(JSON.stringify([error, (error as Error).message])).not.toContain('wrong-secret-2718');
    expect(await instance.credentialStatus()).toMatchObject({ state: 'needs-reconnect' });
    await expect(instance.check()).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
  });
});
