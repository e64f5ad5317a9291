import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import {
  SANDBOX_OAUTH_CLIENT_ID,
  SANDBOX_OAUTH_CLIENT_SECRET,
  SANDBOX_OAUTH_REFRESH_TOKEN,
} from '../oauth/constants';
import { type RunningSandbox, startSandbox } from '../server';
import { hubspotSystem } from './hubspot';
import { oauthSystem } from './oauth';

// biome-ignore lint/suspicious/noExplicitAny: assertions read the JSON answers freely
type Json = Record<string, any>;

const REFRESH = {
  grant_type: 'refresh_token',
  refresh_token: SANDBOX_OAUTH_REFRESH_TOKEN,
  client_id: SANDBOX_OAUTH_CLIENT_ID,
  client_secret: SANDBOX_OAUTH_CLIENT_SECRET,
};

function sandbox() {
  const { app } = createSandboxApp({ systems: [hubspotSystem, oauthSystem] });
  const request = async (
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ) => {
    const res = await app.request(path, { method, ...init });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const accessToken = async (form: Record<string, string> = REFRESH) => {
    const res = await request('POST', '/hubspot/oauth/v1/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  };
  const details = (token: string) =>
    request('GET', '/hubspot/account-info/v3/details', { headers: { authorization: `Bearer ${token}` } });
  const control = (path: string, body?: unknown) =>
    request('POST', `/_sandbox/oauth${path}`, {
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { request, accessToken, details, control };
}

let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('hubspot sandbox with OAuth2', () => {
  it('answers the account details to a static private-app token', async () => {
    const { details } = sandbox();
    expect(await details('pat-na1-static')).toEqual({
      status: 200,
      body: {
        portalId: 62515,
        accountType: 'STANDARD',
        timeZone: 'US/Eastern',
        companyCurrency: 'USD',
        additionalCurrencies: [],
        utcOffset: '-05:00',
        utcOffsetMilliseconds: -18_000_000,
        uiDomain: 'app.hubspot.com',
        dataHostingLocation: 'na1',
      },
    });
  });

  it('takes a live token of the authority and refuses it once expired, in HubSpot’s shape', async () => {
    const { accessToken, details, control } = sandbox();
    const token = await accessToken();
    expect((await details(token)).status).toBe(200);
    expect((await control('/expire')).body).toEqual({ expired: 1 });
    const refused = await details(token);
    expect(refused).toEqual({
      status: 401,
      body: {
        status: 'error',
        message: expect.stringMatching(
          /^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/,
        ),
        correlationId: expect.any(String),
        category: 'EXPIRED_AUTHENTICATION',
      },
    });
    // A refresh after the expiry gives a token that works again.
    expect((await details(await accessToken())).status).toBe(200);
  });

  it('refuses a token past its lifetime', async () => {
    const { request, accessToken, details } = sandbox();
    await request('PUT', '/_sandbox/oauth', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessTokenTtlSeconds: 1 }),
    });
    const token = await accessToken();
    expect((await details(token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await details(token)).body.category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('refuses the access tokens of a revoked grant, and keeps client-credentials tokens', async () => {
    const { accessToken, details, control } = sandbox();
    const fromRefresh = await accessToken();
    const fromClient = await accessToken({
      grant_type: 'client_credentials',
      client_id: SANDBOX_OAUTH_CLIENT_ID,
      client_secret: SANDBOX_OAUTH_CLIENT_SECRET,
    });
    await control('/revoke');
    expect(await details(fromRefresh)).toMatchObject({
      status: 401,
      body: { category: 'EXPIRED_AUTHENTICATION' },
    });
    expect((await details(fromClient)).status).toBe(200);
  });

  it('refuses a token with the authority’s prefix that it never issued, and a missing one', async () => {
    const { details, request } = sandbox();
    expect(await details('sbx-oat-made-up')).toMatchObject({
      status: 401,
      body: { category: 'INVALID_AUTHENTICATION' },
    });
    expect((await request('GET', '/hubspot/account-info/v3/details')).status).toBe(401);
  });

  it('works over real HTTP: the token endpoint with HTTP Basic, then a CRM call', async () => {
    running = await startSandbox({ port: 0, systems: [hubspotSystem, oauthSystem] });
    const basic = Buffer.from(`${SANDBOX_OAUTH_CLIENT_ID}:${SANDBOX_OAUTH_CLIENT_SECRET}`).toString('base64');
    const tokenRes = await fetch(`${running.url}/hubspot/oauth/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: SANDBOX_OAUTH_REFRESH_TOKEN }),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as Json;
    const search = await fetch(`${running.url}/hubspot/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 1 }),
    });
    expect(search.status).toBe(200);
    expect(((await search.json()) as Json).total).toBe(2);
  });
});
