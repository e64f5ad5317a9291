import { afterEach, describe, expect, it } from 'vitest';
import { backendPool } from './_test-redis';

describe('Redis breakers', () => {
  const pool = backendPool('breakers');
  afterEach(() => pool.dispose());

  it('shares counts and state between workers; exactly one caller gets the half-open trial', async () => {
    const [a, b] = [await pool.open({ breakerCacheMs: 0 }), await pool.open({ breakerCacheMs: 0 })];
    expect(await a.breakers.get('pay')).toEqual({ state: 'closed', failures: 0 });
    expect(await a.breakers.recordFailure('pay')).toBe(1);
    expect(await b.breakers.recordFailure('pay')).toBe(2);
    await b.breakers.open('pay', 1000);
    expect(await a.breakers.get('pay')).toEqual({ state: 'open', failures: 2, openedAt: 1000 });

    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).breakers.claimTrial('pay', 1000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await b.breakers.get('pay')).state).toBe('half-open');
    // A new opening has its own trial.
    await a.breakers.open('pay', 2000);
    expect(await b.breakers.claimTrial('pay', 2000)).toBe(true);
    expect(await a.breakers.claimTrial('pay', 2000)).toBe(false);

    await a.breakers.recordSuccess('pay');
    expect(await b.breakers.all()).toEqual({ pay: { state: 'closed', failures: 0 } });
  });

  it('caches reads briefly but sees its own writes at once', async () => {
    const [a, b] = [await pool.open({ breakerCacheMs: 60_000 }), await pool.open({ breakerCacheMs: 60_000 })];
    expect((await a.breakers.get('crm')).state).toBe('closed');
    await b.breakers.open('crm', 5);
    // a trusts its cached read; b knows what it wrote.
    expect((await a.breakers.get('crm')).state).toBe('closed');
    expect((await b.breakers.get('crm')).state).toBe('open');
    await a.breakers.open('crm', 6);
    expect(await a.breakers.get('crm')).toEqual({ state: 'open', failures: 0, openedAt: 6 });
  });
});
