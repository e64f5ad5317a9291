import { describe, expect, it } from 'vitest';
import { EmbeddedCredentialStore } from './credential-store';

describe('embedded credentials', () => {
  it('keeps copies, and a lock until it is released or expires', async () => {
    let now = 1_000;
    const store = new EmbeddedCredentialStore(() => now);
    const credentials = { fingerprint: 'f', accessToken: 'a' };
    await store.set('crm', credentials);
    credentials.accessToken = 'changed by the caller';
    const read = await store.get('crm');
    expect(read).toEqual({ fingerprint: 'f', accessToken: 'a' });
    read!.accessToken = 'changed again';
    expect((await store.get('crm'))?.accessToken).toBe('a');
    expect(await store.get('billing')).toBeUndefined();

    expect(await store.lock('crm', 100)).toBe(true);
    expect(await store.lock('crm', 100)).toBe(false);
    expect(await store.lock('billing', 100)).toBe(true);
    now += 100;
    expect(await store.lock('crm', 100)).toBe(true);
    await store.unlock('crm');
    expect(await store.lock('crm', 100)).toBe(true);
  });
});
