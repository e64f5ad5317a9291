import { afterEach, describe, expect, it } from 'vitest';
import { backendPool } from './_test-redis';

describe('Redis rate limiter', () => {
  const pool = backendPool('limiter');
  afterEach(() => pool.dispose());

  it('allows `limit` takes per fixed window across processes, then says when the window ends', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const windowMs = 60_000;
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await (i % 2 ? a : b).limiter.take('shop', 3, windowMs));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    for (const refused of results.slice(3)) {
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(windowMs);
    }
    expect((await a.limiter.take('other', 3, windowMs)).allowed).toBe(true);
  });

  it('starts counting again in the next window', async () => {
    const backend = await pool.open();
    const windowMs = 200;
    // Start at the beginning of a window so two takes land in it.
    await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 5));
    expect((await backend.limiter.take('k', 1, windowMs)).allowed).toBe(true);
    const refused = await backend.limiter.take('k', 1, windowMs);
    expect(refused.allowed).toBe(false);
    await new Promise((r) => setTimeout(r, refused.retryAfterMs + 5));
    expect((await backend.limiter.take('k', 1, windowMs)).allowed).toBe(true);
  });
});
