import { createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);
const oauth = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  refreshToken: 'sandbox-refresh-token',
};

describe('hubspot limits', () => {
  it("declares HubSpot's burst limit of the lowest plan: 100 requests per 10 seconds", () => {
    expect(connector.limits).toEqual({ rate: { requests: 100, per: '10s' } });
    expect(instance({ accessToken: 'pat-1' }).limits).toEqual({ rate: { requests: 100, per: '10s' } });
    expect(instance({ oauth }).limits).toEqual({ rate: { requests: 100, per: '10s' } });
  });
});

describe('hubspot config', () => {
  it('takes exactly one of accessToken and oauth, and says so', () => {
    const neither = connector.config.safeParse({});
    expect(neither.success).toBe(false);
    expect(neither.error?.issues.map((i) => i.message)).toContain(
      'Give "accessToken" (a private app token) or "oauth" (clientId, clientSecret and refreshToken of an OAuth2 app)',
    );
    const both = connector.config.safeParse({ accessToken: 'pat-1', oauth });
    expect(both.error?.issues.map((i) => i.message)).toEqual([
      'Give either "accessToken" or "oauth", not both',
    ]);
    expect(() => instance({ accessToken: 'pat-1', oauth })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(connector.config.safeParse({ oauth: { ...oauth, clientSecret: undefined } }).success).toBe(false);
  });

  it('asks the host for a refresh-token grant only with oauth, at <baseUrl>/oauth/v1/token by default', () => {
    expect(instance({ accessToken: 'pat-1' }).auth).toBeUndefined();
    expect(instance({ baseUrl: 'http://127.0.0.1:4010/hubspot/', oauth }).auth).toEqual({
      type: 'oauth2',
      grant: 'refresh_token',
      tokenUrl: 'http://127.0.0.1:4010/hubspot/oauth/v1/token',
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      refreshToken: 'sandbox-refresh-token',
      clientAuthentication: 'body',
    });
    expect(instance({ oauth: { ...oauth, scope: 'oauth crm.objects.contacts.read' } }).auth).toMatchObject({
      tokenUrl: 'https://api.hubapi.com/oauth/v1/token',
      scope: 'oauth crm.objects.contacts.read',
    });
    expect(instance({ oauth: { ...oauth, tokenUrl: 'https://auth.example.com/token' } }).auth?.tokenUrl).toBe(
      'https://auth.example.com/token',
    );
  });

  it('keeps the OAuth client secret and refresh token out of errors', () => {
    const hub = instance({ oauth: { ...oauth, clientSecret: 'oauth-secret-4242' } });
    expect(hub.secrets).toEqual(expect.arrayContaining(['oauth-secret-4242', 'sandbox-refresh-token']));
  });
});

describe('hubspot check', () => {
  it('passes with a token HubSpot accepts, reading the account details', async () => {
    await expect(
      instance({ baseUrl: `${sandbox.url}/hubspot`, accessToken: 'pat-test-123' }).check(),
    ).resolves.toBeUndefined();
    const ledger = sandbox.state.requests.filter((r) => r.system === 'hubspot');
    expect(ledger.at(-1)).toMatchObject({
      method: 'GET',
      path: '/hubspot/account-info/v3/details',
      status: 200,
    });
  });

  it('fails, not retryable, with the reason HubSpot gives for a refused token', async () => {
    // The sandbox accepts any static token, but refuses an OAuth2 token its authority never issued.
    const error = await instance({ baseUrl: `${sandbox.url}/hubspot`, accessToken: 'sbx-oat-never-issued-1' })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'HUBSPOT_INVALID_AUTHENTICATION',
      retryable: false,
      details: { status: 401, category: 'INVALID_AUTHENTICATION' },
      message: expect.stringMatching(/^HubSpot refused to read the account details with these credentials: /),
    });
    expect(JSON.stringify([error, (error as Error).message])).not.toContain('sbx-oat-never-issued-1');
  });

  it('fails with HUBSPOT_MISSING_SCOPES when the token may not read the account', async () => {
    await using server = await createTestServer(() => ({
      status: 403,
      json: {
        status: 'error',
        message: "This app hasn't been granted all required scopes to make this call.",
        correlationId: 'c0ffee00-0000-4000-8000-000000000001',
        category: 'MISSING_SCOPES',
      },
    }));
    await expect(
      instance({ baseUrl: server.url, accessToken: 'pat-narrow-1' }).check(),
    ).rejects.toMatchObject({
      code: 'HUBSPOT_MISSING_SCOPES',
      retryable: false,
    });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/account-info/v3/details' });
  });
});
