import { randomBytes } from 'node:crypto';
import type { StoredCredentials } from '@baton/sdk/host';
import { afterEach, describe, expect, it } from 'vitest';
import { backendPool, rawClient } from './_test-redis';

const KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const CREDENTIALS: StoredCredentials = {
  fingerprint: 'fp-1',
  accessToken: 'access-token-7d1c2b',
  refreshToken: 'refresh-token-a9e04f',
  expiresAt: 1_900_000_000_000,
  refreshedAt: 1_800_000_000_000,
};

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );
}

describe('Redis credentials', () => {
  const pool = backendPool('credentials');
  afterEach(() => pool.dispose());

  it('shares credentials between processes, encrypted at rest under one key per instance', async () => {
    const [a, b] = [
      await pool.open({ credentialKeys: { current: KEY } }),
      await pool.open({ credentialKeys: { current: KEY } }),
    ];
    expect(await a.credentials.get('crm')).toBeUndefined();
    await a.credentials.set('crm', CREDENTIALS);
    expect(await b.credentials.get('crm')).toEqual(CREDENTIALS);

    const raw = rawClient();
    try {
      const keys = await raw.keys(`${pool.prefix.replace(/[{}]/g, '\\$&')}:credentials*`);
      expect(keys).toEqual([`${pool.prefix}:credentials:crm`]);
      const bytes = await raw.getBuffer(keys[0]!);
      const text = bytes!.toString('latin1');
      for (const secret of ['access-token', '7d1c2b', 'refresh-token', 'a9e04f', 'fp-1', 'fingerprint']) {
        expect(text).not.toContain(secret);
      }
    } finally {
      raw.disconnect();
    }
  });

  it('fails clearly with the wrong key, and reads the previous key during a rotation, re-encrypting on the next write', async () => {
    const before = await pool.open({ credentialKeys: { current: KEY } });
    await before.credentials.set('crm', CREDENTIALS);
    const wrong = await pool.open({ credentialKeys: { current: NEW_KEY } });
    expect(await codeOf(wrong.credentials.get('crm'))).toBe('CREDENTIALS_UNREADABLE');

    const rotating = await pool.open({ credentialKeys: { current: NEW_KEY, previous: KEY } });
    expect(await rotating.credentials.get('crm')).toEqual(CREDENTIALS);
    await rotating.credentials.set('crm', { ...CREDENTIALS, accessToken: 'fresh' });
    // Written with the new key: the process with only the new key reads it, the old one no longer does.
    expect((await wrong.credentials.get('crm'))?.accessToken).toBe('fresh');
    expect(await codeOf(before.credentials.get('crm'))).toBe('CREDENTIALS_UNREADABLE');
  });

  it('refuses to keep tokens without a key, and refuses a malformed key before connecting', async () => {
    const keyless = await pool.open({ credentialKeys: {} });
    expect(await codeOf(keyless.credentials.get('crm'))).toBe('CREDENTIALS_KEY_MISSING');
    expect(await codeOf(keyless.credentials.set('crm', CREDENTIALS))).toBe('CREDENTIALS_KEY_MISSING');
    expect(await codeOf(pool.open({ credentialKeys: { current: 'too-short' } }))).toBe(
      'CREDENTIALS_KEY_INVALID',
    );
  });

  it('gives the refresh lock to one process at a time; a holder past its lock does not free the next one', async () => {
    const [a, b] = [
      await pool.open({ credentialKeys: { current: KEY } }),
      await pool.open({ credentialKeys: { current: KEY } }),
    ];
    const takes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).credentials.lock('crm', 5_000)),
    );
    expect(takes.filter(Boolean)).toHaveLength(1);
    const [holder, other] = takes.findIndex(Boolean) % 2 ? [a, b] : [b, a];
    // Not the holder: unlocking does nothing.
    await other.credentials.unlock('crm');
    expect(await other.credentials.lock('crm', 5_000)).toBe(false);
    await holder.credentials.unlock('crm');
    expect(await other.credentials.lock('crm', 50)).toBe(true);

    // other's lock expires; holder takes it; other's late unlock leaves holder's lock in place.
    await new Promise((r) => setTimeout(r, 80));
    expect(await holder.credentials.lock('crm', 5_000)).toBe(true);
    await other.credentials.unlock('crm');
    expect(await other.credentials.lock('crm', 5_000)).toBe(false);
    // Locks are per instance.
    expect(await other.credentials.lock('billing', 5_000)).toBe(true);
  });
});
