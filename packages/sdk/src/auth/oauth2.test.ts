import { afterEach, describe, expect, it } from 'vitest';
import { defineConnector } from '../define';
import { isBatonError } from '../errors/baton-error';
import { serializeError } from '../errors/serialize';
import { type ConnectorInstanceOptions, createConnectorInstance } from '../instance';
import { createCapturingLogger } from '../testing/run-action';
import {
  CLIENT_SECRET,
  crm,
  crmConfig,
  REFRESH_TOKEN,
  startProvider,
  type TestProvider,
} from './_test-provider';
import { memoryCredentialStore } from './memory-credential-store';
import type { CredentialStore } from './types';

const loopback = { allow: ['loopback'] };
const providers: TestProvider[] = [];
async function provider(...args: Parameters<typeof startProvider>) {
  const p = await startProvider(...args);
  providers.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

/** An instance named `crm`, as one worker of a hub would bind it. */
function worker(
  p: TestProvider,
  options: ConnectorInstanceOptions = {},
  extra: Record<string, unknown> = {},
) {
  return createConnectorInstance(crm, crmConfig(p, extra), { name: 'crm', egress: loopback, ...options });
}

let keys = 0;
const call = (instance: ReturnType<typeof worker>, action = 'get-me', input: unknown = {}) =>
  instance.invoke(action, { input, idempotencyKey: `k-${++keys}` }) as Promise<{ token: string }>;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('OAuth2: getting and sending the token', () => {
  it('sends the client-credentials token as a bearer, fetched once for many calls', async () => {
    const p = await provider();
    const instance = worker(p, {}, { refreshToken: undefined, scope: 'notes:write' });
    const first = await call(instance);
    const second = await call(instance);
    expect(first.token).toBe(p.state.issued[0]);
    expect(second.token).toBe(first.token);
    expect(p.state.tokenRequests).toHaveLength(1);
    const request = p.state.tokenRequests[0]!;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.parsed).toEqual({
      grant_type: 'client_credentials',
      client_id: 'baton-test',
      client_secret: CLIENT_SECRET,
      scope: 'notes:write',
      audience: 'crm-api',
    });
  });

  it('authenticates the client with HTTP Basic when asked to', async () => {
    const p = await provider();
    const instance = worker(p, {}, { clientAuthentication: 'basic' });
    await call(instance);
    const request = p.state.tokenRequests[0]!;
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`baton-test:${CLIENT_SECRET}`).toString('base64')}`,
    );
    expect(request.parsed).toEqual({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
  });

  it('keeps the refresh token the provider rotated to, and refreshes with it', async () => {
    const p = await provider();
    const credentials = memoryCredentialStore();
    const instance = worker(p, { credentials });
    await call(instance);
    const stored = await credentials.get('crm');
    expect(stored?.refreshToken).toMatch(/^rt-rotated-/);
    expect(stored?.accessToken).toBe(p.state.issued[0]);
    p.revokeAccessTokens();
    await call(instance);
    expect(p.state.tokenRequests.map((r) => (r.parsed as Record<string, string>).refresh_token)).toEqual([
      REFRESH_TOKEN,
      stored?.refreshToken,
    ]);
  });

  it('starts over when the config changes: a record of other settings is ignored', async () => {
    const p = await provider({ rotate: false });
    const credentials = memoryCredentialStore();
    await call(worker(p, { credentials }));
    await call(worker(p, { credentials }, { scope: 'more' }));
    expect(p.state.tokenRequests).toHaveLength(2);
  });
});

describe('OAuth2: one refresh at a time, across processes', () => {
  it('two workers sharing a store fetch one token', async () => {
    const p = await provider({ tokenDelayMs: 150 });
    const credentials = memoryCredentialStore();
    const a = worker(p, { credentials });
    const b = worker(p, { credentials });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? a : b)));
    expect(p.state.tokenRequests).toHaveLength(1);
    expect(new Set(results.map((r) => r.token))).toEqual(new Set([p.state.issued[0]]));
  });

  it('concurrent calls near expiry refresh once, and keep using the valid token meanwhile', async () => {
    const p = await provider({ tokenDelayMs: 200, expiresIn: 60 });
    const credentials = memoryCredentialStore();
    // A token of 60 s refreshed 59.5 s ahead: in the window half a second after it arrives.
    const a = worker(p, { credentials }, { refreshAheadMs: 59_500 });
    const b = worker(p, { credentials }, { refreshAheadMs: 59_500 });
    const first = await call(a);
    await new Promise((r) => setTimeout(r, 600));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => call(i % 2 ? a : b)));
    expect(p.state.tokenRequests).toHaveLength(2);
    // Everyone but the refresher went on with the still-valid token.
    expect(results.filter((r) => r.token === first.token).length).toBeGreaterThanOrEqual(28);
    expect((await credentials.get('crm'))?.accessToken).toBe(p.state.issued[1]);
  });

  it('waits for the holder of the lock, and takes over when its lock expires', async () => {
    const p = await provider();
    const credentials = memoryCredentialStore();
    // A process took the lock and died.
    expect(await credentials.lock('crm', 400)).toBe(true);
    const started = Date.now();
    await call(worker(p, { credentials }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(p.state.tokenRequests).toHaveLength(1);
  });
});

describe('OAuth2: a 401 from the API', () => {
  it('refreshes once and sends the request again, body and all', async () => {
    const p = await provider({ expiresIn: undefined });
    const instance = worker(p);
    await call(instance);
    p.revokeAccessTokens();
    const result = await call(instance, 'create-note', { text: 'hello' });
    expect(result).toEqual({ body: { text: 'hello' } });
    expect(p.state.tokenRequests).toHaveLength(2);
    expect(p.state.apiRequests.map((r) => r.path)).toEqual(['/me', '/notes', '/notes']);
    expect(p.state.apiRequests[2]?.parsed).toEqual({ text: 'hello' });
  });

  it('uses the token another worker already refreshed to, instead of refreshing again', async () => {
    const p = await provider({ expiresIn: undefined });
    const credentials = memoryCredentialStore();
    const a = worker(p, { credentials });
    const b = worker(p, { credentials });
    await call(a);
    await call(b);
    p.revokeAccessTokens();
    const fromA = await call(a);
    // b still holds the refused token in its one-second cache: its 401 finds a's new token in the store.
    const fromB = await call(b);
    expect(fromB.token).toBe(fromA.token);
    expect(p.state.tokenRequests).toHaveLength(2);
  });

  it('fails with CREDENTIALS_INVALID, not retryable, when the new token is refused too', async () => {
    // The token endpoint issues tokens the API refuses, every one.
    const refusing = await provider();
    const never = worker(refusing);
    refusing.server.setHandler((request) =>
      request.path === '/oauth/token'
        ? {
            json: {
              access_token: `at-useless-${refusing.state.tokenRequests.push(request)}`,
              expires_in: 3600,
            },
          }
        : { status: 401, json: { error: 'invalid_token' } },
    );
    const refused = await failure(call(never));
    expect(refused).toMatchObject({ code: 'CREDENTIALS_INVALID', retryable: false });
    expect((refused as Error).message).toMatch(/refused with 401 again after its token was renewed/);
    expect(refusing.state.tokenRequests).toHaveLength(2);
    // The grant works: the instance is not marked as needing a reconnect.
    expect((await never.credentialStatus()).state).toBe('valid');
  });
});

describe('OAuth2: refused credentials', () => {
  it('marks a revoked refresh token "needs reconnect" and stops asking the token endpoint', async () => {
    const p = await provider({ expiresIn: undefined });
    const credentials = memoryCredentialStore();
    const a = worker(p, { credentials });
    const b = worker(p, { credentials });
    await call(a);
    p.revokeRefreshTokens();
    p.revokeAccessTokens();
    const error = await failure(call(a));
    expect(error).toMatchObject({
      code: 'CREDENTIALS_INVALID',
      retryable: false,
      name: 'CredentialsInvalidError',
    });
    expect((error as Error).message).toContain('400 invalid_grant');
    const status = await a.credentialStatus();
    expect(status).toMatchObject({ state: 'needs-reconnect' });
    expect(status.reason).toMatch(/^400 invalid_grant: refresh token \[redacted\] was revoked$/);
    expect(Date.parse(status.invalidAt!)).toBeGreaterThan(Date.now() - 5000);
    const requests = p.state.tokenRequests.length;
    const storm = await Promise.all(Array.from({ length: 20 }, (_, i) => failure(call(i % 2 ? a : b))));
    for (const e of storm) expect(e).toMatchObject({ code: 'CREDENTIALS_INVALID', retryable: false });
    await expect(a.check()).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    expect(p.state.tokenRequests).toHaveLength(requests);
    expect((await b.credentialStatus()).state).toBe('needs-reconnect');
  });

  it('is reconnected by new credentials in the config', async () => {
    const p = await provider({ rotate: false });
    const credentials = memoryCredentialStore();
    p.revokeRefreshTokens();
    await expect(call(worker(p, { credentials }))).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    p.state.refreshTokens.add('rt-granted-again-0002');
    const reconnected = worker(p, { credentials }, { refreshToken: 'rt-granted-again-0002' });
    expect(await reconnected.credentialStatus()).toEqual({ state: 'unknown' });
    expect((await call(reconnected)).token).toBe(p.state.issued[0]);
    expect((await reconnected.credentialStatus()).state).toBe('valid');
  });

  it('treats a wrong client secret (401 invalid_client) as refused', async () => {
    const p = await provider();
    const instance = worker(p, {}, { clientSecret: 'cs-wrong-secret-9999' });
    const error = await failure(call(instance));
    expect(error).toMatchObject({ code: 'CREDENTIALS_INVALID' });
    expect(await instance.credentialStatus()).toMatchObject({
      state: 'needs-reconnect',
      reason: '401 invalid_client',
    });
  });

  it('retries a token endpoint that is down, without marking anything', async () => {
    const p = await provider();
    const credentials = memoryCredentialStore();
    const instance = worker(p, { credentials });
    p.state.tokenAnswer = { status: 503, json: { error: 'temporarily_unavailable' } };
    await expect(call(instance)).rejects.toMatchObject({
      code: 'CREDENTIALS_REFRESH_FAILED',
      retryable: true,
    });
    p.state.tokenAnswer = { status: 429, headers: { 'retry-after': '3' }, json: {} };
    await expect(call(instance)).rejects.toMatchObject({
      code: 'CREDENTIALS_REFRESH_FAILED',
      retryable: true,
      retryAfterMs: 3000,
    });
    expect(await instance.credentialStatus()).toEqual({ state: 'unknown' });
    p.state.tokenAnswer = undefined;
    expect((await call(instance)).token).toBe(p.state.issued[0]);
    expect(p.state.tokenRequests).toHaveLength(3);
  });

  it('retries when the token endpoint cannot be reached', async () => {
    const p = await provider();
    const instance = worker(p, {}, { tokenUrl: 'http://127.0.0.1:9/oauth/token' });
    await expect(call(instance)).rejects.toMatchObject({
      code: 'CREDENTIALS_REFRESH_FAILED',
      retryable: true,
    });
  });

  it('sends the token request through the instance egress guard', async () => {
    const p = await provider();
    const instance = createConnectorInstance(crm, crmConfig(p), { name: 'crm' });
    await expect(instance.check()).rejects.toMatchObject({ code: 'EGRESS_BLOCKED' });
    expect(p.state.tokenRequests).toHaveLength(0);
  });
});

describe('OAuth2: secrets', () => {
  it('keeps the client secret, refresh tokens and access tokens out of errors and logs', async () => {
    const p = await provider({ expiresIn: undefined });
    const credentials = memoryCredentialStore();
    const log = createCapturingLogger();
    const instance = worker(p, { credentials });
    const seen: unknown[] = [];
    const attempt = async (action: string, input: unknown = {}) => {
      try {
        await instance.invoke(action, { input, idempotencyKey: `k-${++keys}`, log });
      } catch (error) {
        seen.push(serializeError(error), (error as Error).message, (error as Error).stack);
      }
    };
    await attempt('get-me');
    await attempt('leak');
    await attempt('get-me', { path: '/echo-500' });
    p.revokeRefreshTokens();
    p.revokeAccessTokens();
    await attempt('get-me');
    await instance.check({ log }).catch((error: unknown) => seen.push(serializeError(error)));
    const stored = await credentials.get('crm');
    const text = JSON.stringify([seen, log.records]);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(log.records.length).toBeGreaterThan(0);
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ...p.state.issued]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(stored?.invalid?.reason).not.toContain('rt-');
    expect(instance.secrets).toEqual(
      expect.arrayContaining([CLIENT_SECRET, REFRESH_TOKEN, ...p.state.issued]),
    );
  });
});

describe('OAuth2: credential status and check', () => {
  it('says none for a plain instance, unknown before the first token, then valid with its times', async () => {
    const p = await provider({ expiresIn: 3600 });
    const plain = createConnectorInstance(crm, crmConfig(p), { name: 'plain' });
    expect(plain.auth?.type).toBe('oauth2');
    const instance = worker(p);
    expect(await instance.credentialStatus()).toEqual({ state: 'unknown' });
    await call(instance);
    const status = await instance.credentialStatus();
    expect(status.state).toBe('valid');
    const expiresIn = Date.parse(status.expiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(3_590_000);
    expect(Date.parse(status.refreshedAt!)).toBeLessThanOrEqual(Date.now());
  });

  it("runs the connector's check with the authed client", async () => {
    const p = await provider();
    const instance = worker(p);
    expect(instance.checkable).toBe(true);
    await instance.check();
    expect(p.state.apiRequests).toHaveLength(1);
    expect(p.state.apiRequests[0]?.headers.authorization).toBe(`Bearer ${p.state.issued[0]}`);
  });

  it('without a check of its own, an OAuth2 instance checks that it gets a token', async () => {
    const p = await provider();
    const { check: _check, ...rest } = crm;
    const instance = createConnectorInstance(defineConnector(rest), crmConfig(p), {
      name: 'crm',
      egress: loopback,
    });
    expect(instance.checkable).toBe(false);
    await instance.check();
    expect(p.state.tokenRequests).toHaveLength(1);
    expect(p.state.apiRequests).toHaveLength(0);
    await instance.check();
    expect(p.state.tokenRequests).toHaveLength(1);
  });

  it('classifies a failed check and keeps its secrets out', async () => {
    const p = await provider();
    const instance = worker(p, {}, { clientSecret: 'cs-wrong-secret-9999' });
    const error = await failure(instance.check());
    expect(isBatonError(error) && error.code).toBe('CREDENTIALS_INVALID');
    expect(JSON.stringify(serializeError(error))).not.toContain('cs-wrong-secret-9999');
  });
});

describe('memoryCredentialStore', () => {
  it('copies records in and out, and gives its lock to one caller until unlocked or expired', async () => {
    const store: CredentialStore = memoryCredentialStore();
    const record = { fingerprint: 'f', accessToken: 'a' };
    await store.set('x', record);
    record.accessToken = 'changed';
    const read = await store.get('x');
    expect(read).toEqual({ fingerprint: 'f', accessToken: 'a' });
    read!.accessToken = 'changed again';
    expect((await store.get('x'))?.accessToken).toBe('a');
    expect(await store.get('y')).toBeUndefined();
    expect(await store.lock('x', 50)).toBe(true);
    expect(await store.lock('x', 50)).toBe(false);
    expect(await store.lock('y', 50)).toBe(true);
    await store.unlock('x');
    expect(await store.lock('x', 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await store.lock('x', 50)).toBe(true);
  });
});
