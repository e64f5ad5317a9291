import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { oauthSystem } from '../systems/oauth';
import {
  OAUTH_ACCESS_TOKEN_PREFIX,
  SANDBOX_OAUTH_CLIENT_ID,
  SANDBOX_OAUTH_CLIENT_SECRET,
  SANDBOX_OAUTH_REFRESH_TOKEN,
} from './constants';

// biome-ignore lint/suspicious/noExplicitAny: assertions read the JSON answers freely
type Json = Record<string, any>;

const CLIENT = { client_id: SANDBOX_OAUTH_CLIENT_ID, client_secret: SANDBOX_OAUTH_CLIENT_SECRET };
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function sandbox() {
  const { app, state } = createSandboxApp({ systems: [oauthSystem] });
  const token = async (
    form: Record<string, string>,
    { path = '/oauth/token', headers = {} }: { path?: string; headers?: Record<string, string> } = {},
  ) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(`/_sandbox/oauth${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  return { app, state, token, control };
}

const refreshGrant = (refreshToken = SANDBOX_OAUTH_REFRESH_TOKEN) => ({
  grant_type: 'refresh_token',
  refresh_token: refreshToken,
  ...CLIENT,
});

describe('OAuth2 token endpoint', () => {
  it('answers a refresh-token grant with an opaque bearer token that is not cached', async () => {
    const { token } = sandbox();
    const res = await token(refreshGrant());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(new RegExp(`^${OAUTH_ACCESS_TOKEN_PREFIX}[\\w-]{32}$`)),
      token_type: 'bearer',
      expires_in: 1800,
      refresh_token: SANDBOX_OAUTH_REFRESH_TOKEN,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await token(refreshGrant())).body.access_token).not.toBe(res.body.access_token);
  });

  it('answers a client-credentials grant, with the client in HTTP Basic, without a refresh token', async () => {
    const { token } = sandbox();
    const res = await token(
      { grant_type: 'client_credentials' },
      { headers: { authorization: basic(SANDBOX_OAUTH_CLIENT_ID, SANDBOX_OAUTH_CLIENT_SECRET) } },
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
  });

  it('serves HubSpot’s path too, and logs token requests under the oauth system', async () => {
    const { token, state, app } = sandbox();
    const listing = (await (await app.request('/_sandbox')).json()) as Json;
    expect(listing.systems[0]).toMatchObject({
      name: 'oauth',
      prefix: '/oauth',
      aliases: ['/hubspot/oauth/v1'],
    });
    const res = await token(refreshGrant(), { path: '/hubspot/oauth/v1/token' });
    expect(res.status).toBe(200);
    expect(state.requests.map((r) => [r.system, r.path, r.status])).toEqual([
      ['oauth', '/hubspot/oauth/v1/token', 200],
    ]);
  });

  it('refuses bad requests with RFC 6749 errors', async () => {
    const { app, token, control } = sandbox();
    const cases: Array<[Promise<{ status: number; body: Json; headers: Headers }>, number, string]> = [
      [token({ ...CLIENT }), 400, 'invalid_request'],
      [token({ grant_type: 'password', ...CLIENT }), 400, 'unsupported_grant_type'],
      [token({ grant_type: 'refresh_token', ...CLIENT }), 400, 'invalid_request'],
      [token(refreshGrant('no-such-token')), 400, 'invalid_grant'],
      [token({ grant_type: 'client_credentials' }), 401, 'invalid_client'],
      [
        token({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'wrong' }),
        401,
        'invalid_client',
      ],
      [
        token({ grant_type: 'client_credentials', client_id: 'someone-else', client_secret: 'x' }),
        401,
        'invalid_client',
      ],
    ];
    for (const [pending, status, error] of cases) {
      const res = await pending;
      expect([res.status, res.body.error]).toEqual([status, error]);
      expect(res.body.error_description).toEqual(expect.any(String));
    }
    const wrongBasic = await token(
      { grant_type: 'client_credentials' },
      { headers: { authorization: basic(SANDBOX_OAUTH_CLIENT_ID, 'wrong') } },
    );
    expect([wrongBasic.status, wrongBasic.body.error]).toEqual([401, 'invalid_client']);
    expect(wrongBasic.headers.get('www-authenticate')).toBe('Basic realm="sandbox"');
    const json = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(refreshGrant()),
    });
    expect([json.status, ((await json.json()) as Json).error]).toEqual([400, 'invalid_request']);
    const twice = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&grant_type=refresh_token&client_id=sandbox-client&client_secret=sandbox-secret',
    });
    expect(((await twice.json()) as Json).error).toBe('invalid_request');

    expect((await control('GET', '/stats')).body).toEqual({
      tokenRequests: { refresh_token: 2, client_credentials: 4 },
      refused: 10,
      issued: 0,
    });
  });

  it('rotates refresh tokens when asked: the used one is spent, the new one works', async () => {
    const { token, control } = sandbox();
    expect((await control('PUT', '', { rotateRefreshTokens: true })).body).toEqual({
      settings: { accessTokenTtlSeconds: 1800, rotateRefreshTokens: true, tokenLatencyMs: 0 },
    });
    const first = await token(refreshGrant());
    const next = first.body.refresh_token as string;
    expect(next).toMatch(/^sbx-ort-/);
    expect((await token(refreshGrant())).body.error).toBe('invalid_grant');
    expect((await token(refreshGrant(next))).status).toBe(200);
  });

  it('mints refresh tokens, revokes one grant or all, and counts every request', async () => {
    const { token, control } = sandbox();
    const minted = await control('POST', '/refresh-tokens');
    expect(minted.status).toBe(201);
    const reconnect = minted.body.refreshToken as string;
    expect((await control('POST', '/revoke', { refreshToken: SANDBOX_OAUTH_REFRESH_TOKEN })).body).toEqual({
      revoked: 1,
    });
    expect((await token(refreshGrant())).body.error).toBe('invalid_grant');
    expect((await token(refreshGrant(reconnect))).status).toBe(200);
    expect((await control('POST', '/revoke', { refreshToken: 'never-minted' })).status).toBe(404);
    expect((await control('POST', '/revoke')).body).toEqual({ revoked: 1 });
    expect((await token(refreshGrant(reconnect))).body.error).toBe('invalid_grant');
    expect((await control('GET', '/stats')).body).toEqual({
      tokenRequests: { refresh_token: 3, client_credentials: 0 },
      refused: 2,
      issued: 1,
    });
  });

  it('answers after tokenLatencyMs, with the configured lifetime', async () => {
    const { token, control } = sandbox();
    await control('PUT', '', { tokenLatencyMs: 150, accessTokenTtlSeconds: 60 });
    const started = performance.now();
    const res = await token(refreshGrant());
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(res.body.expires_in).toBe(60);
    expect((await control('GET', '')).body.settings).toEqual({
      accessTokenTtlSeconds: 60,
      rotateRefreshTokens: false,
      tokenLatencyMs: 150,
    });
    expect((await control('PUT', '', { accessTokenTtlSeconds: 0 })).status).toBe(400);
    expect((await control('PUT', '', { rotate: true })).status).toBe(400);
  });

  it('goes back to its seed on reset', async () => {
    const { token, control, app } = sandbox();
    await control('PUT', '', { rotateRefreshTokens: true });
    const rotated = (await token(refreshGrant())).body.refresh_token as string;
    await app.request('/_sandbox/reset', { method: 'POST' });
    expect((await control('GET', '')).body.settings.rotateRefreshTokens).toBe(false);
    expect((await control('GET', '/stats')).body).toEqual({
      tokenRequests: { refresh_token: 0, client_credentials: 0 },
      refused: 0,
      issued: 0,
    });
    expect((await token(refreshGrant(rotated))).body.error).toBe('invalid_grant');
    expect((await token(refreshGrant())).status).toBe(200);
  });

  it('can be rate-limited like any system, with an OAuth-shaped error', async () => {
    const { app, token } = sandbox();
    await app.request('/_sandbox/limits/oauth/pause', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ retryAfter: 5, status: 503 }),
    });
    const res = await token(refreshGrant());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
  });
});
