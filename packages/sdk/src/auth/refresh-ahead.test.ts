import { afterEach, describe, expect, it } from 'vitest';
import { createConnectorInstance } from '../instance';
import { createCapturingLogger } from '../testing/run-action';
import { crm, crmConfig, startProvider, type TestProvider } from './_test-provider';
import { memoryCredentialStore } from './memory-credential-store';
import { refreshAheadOf } from './token-source';

const providers: TestProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

/** A provider whose tokens are in their refresh-ahead window half a second after they arrive. */
async function soonDue() {
  const p = await startProvider({ expiresIn: 60 });
  providers.push(p);
  const credentials = memoryCredentialStore();
  const instance = createConnectorInstance(crm, crmConfig(p, { refreshAheadMs: 59_500 }), {
    name: 'crm',
    egress: { allow: ['loopback'] },
    credentials,
  });
  const call = (log = createCapturingLogger()) =>
    instance.invoke('get-me', { input: {}, idempotencyKey: 'k', log }) as Promise<{ token: string }>;
  const first = await call();
  await new Promise((r) => setTimeout(r, 600));
  return { p, instance, call, first, credentials };
}

describe('refresh ahead of expiry', () => {
  it('keeps sending the still-valid token when the refresh fails for a reason that may pass', async () => {
    const { p, call, first, credentials } = await soonDue();
    p.state.tokenAnswer = { status: 502, json: {} };
    const log = createCapturingLogger();
    expect((await call(log)).token).toBe(first.token);
    expect(log.records.map((r) => r.message)).toContain(
      'oauth2 refresh ahead of expiry failed; the current token is used meanwhile',
    );
    expect((await credentials.get('crm'))?.invalid).toBeUndefined();
    // No storm on a failing token endpoint: the next calls wait a while before trying again.
    for (let i = 0; i < 5; i++) expect((await call()).token).toBe(first.token);
    expect(p.state.tokenRequests).toHaveLength(2);
    p.state.tokenAnswer = undefined;
    // The lock was released: another worker in the window refreshes at once.
    const other = createConnectorInstance(crm, crmConfig(p, { refreshAheadMs: 59_500 }), {
      name: 'crm',
      egress: { allow: ['loopback'] },
      credentials,
    });
    expect(
      ((await other.invoke('get-me', { input: {}, idempotencyKey: 'k' })) as { token: string }).token,
    ).toBe(p.state.issued[1]);
  });

  it('fails at once when the refresh is refused, though the old token still works', async () => {
    const { p, call, instance } = await soonDue();
    p.revokeRefreshTokens();
    await expect(call()).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID', retryable: false });
    expect((await instance.credentialStatus()).state).toBe('needs-reconnect');
    const requests = p.state.tokenRequests.length;
    await expect(call()).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    expect(p.state.tokenRequests).toHaveLength(requests);
  });
});

describe('refreshAheadOf', () => {
  const auth = {
    type: 'oauth2' as const,
    grant: 'client_credentials' as const,
    tokenUrl: 'x',
    clientId: 'c',
  };
  it('is a minute, a tenth of a lifetime under ten minutes, or what the grant says', () => {
    expect(refreshAheadOf(auth, { fingerprint: 'f', refreshedAt: 0, expiresAt: 3_600_000 })).toBe(60_000);
    expect(refreshAheadOf(auth, { fingerprint: 'f', refreshedAt: 0, expiresAt: 300_000 })).toBe(30_000);
    expect(refreshAheadOf(auth, { fingerprint: 'f' })).toBe(60_000);
    expect(refreshAheadOf({ ...auth, refreshAheadMs: 5000 }, { fingerprint: 'f' })).toBe(5000);
  });
});
