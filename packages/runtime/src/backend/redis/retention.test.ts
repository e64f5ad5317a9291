import { afterEach, describe, expect, it } from 'vitest';
import { backendPool, rawClient, testFlow, testRun } from './_test-redis';
import { Keys } from './keys';

describe('Redis retention', () => {
  const pool = backendPool('retention');
  afterEach(() => pool.dispose());

  it('keeps at most `runs` finished runs, dropping the oldest, and never a run that has not ended', async () => {
    const backend = await pool.open({ retention: { runs: 3 } });
    const flow = testFlow();
    const open = testRun(flow);
    await backend.runs.create([open]);
    const finished = Array.from({ length: 8 }, () => testRun(flow));
    for (const run of finished) {
      await backend.runs.create([run]);
      await backend.runs.patch(run.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    }
    await backend.runs.trim();
    const listed = (await backend.runs.list({})).runs.map((r) => r.id);
    expect(listed).toEqual([...finished.slice(-3).map((r) => r.id)].reverse().concat(open.id));
    expect(await backend.runs.get(finished[0]!.id)).toBeUndefined();
    expect(await backend.runs.counts()).toMatchObject({ succeeded: 3, queued: 1 });

    const raw = rawClient();
    const keys = new Keys(pool.prefix);
    try {
      expect(await raw.zcard(keys.flowRuns('f'))).toBe(4);
      expect(await raw.zcard(keys.finished)).toBe(3);
    } finally {
      raw.disconnect();
    }
  });

  it('drops finished runs older than maxAgeMs', async () => {
    const backend = await pool.open({ retention: { maxAgeMs: 100 } });
    const flow = testFlow();
    const old = testRun(flow);
    await backend.runs.create([old]);
    await backend.runs.patch(old.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    await new Promise((r) => setTimeout(r, 150));
    const fresh = testRun(flow);
    await backend.runs.create([fresh]);
    await backend.runs.patch(fresh.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    await backend.runs.trim();
    expect(await backend.runs.get(old.id)).toBeUndefined();
    expect(await backend.runs.get(fresh.id)).toBeDefined();
    expect((await backend.runs.list({ status: 'succeeded' })).runs.map((r) => r.id)).toEqual([fresh.id]);
  });

  it('files failed and cancelled runs in their own index: successes beyond their bound leave them', async () => {
    const backend = await pool.open({ retention: { runs: 3, failed: { runs: 3 } } });
    const flow = testFlow();
    const failures = Array.from({ length: 5 }, () => testRun(flow));
    for (const [i, run] of failures.entries()) {
      await backend.runs.create([run]);
      const status = i % 2 ? 'cancelled' : 'failed';
      await backend.runs.patch(run.id, { status, phase: 'done' }, { onlyIfActive: true });
    }
    for (let i = 0; i < 20; i++) {
      const run = testRun(flow);
      await backend.runs.create([run]);
      await backend.runs.patch(run.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    }
    await backend.runs.trim();
    expect(await backend.runs.get(failures[1]!.id)).toBeUndefined();
    for (const run of failures.slice(2)) expect(await backend.runs.get(run.id)).toBeDefined();
    expect(await backend.runs.counts()).toMatchObject({ succeeded: 3, failed: 2, cancelled: 1 });

    const raw = rawClient();
    const keys = new Keys(pool.prefix);
    try {
      expect(await raw.zcard(keys.finished)).toBe(3);
      expect(await raw.zcard(keys.finishedFailed)).toBe(3);
      // A failed run's hash outlives the succeeded runs' expiry: the failed bound's age (30 days) and then some.
      expect(await raw.pttl(keys.run(failures[4]!.id))).toBeGreaterThan(29 * 86_400_000);
    } finally {
      raw.disconnect();
    }
  });

  it('drops failed runs older than failed.maxAgeMs, also while only successes end', async () => {
    const backend = await pool.open({ retention: { maxAgeMs: 60_000, failed: { maxAgeMs: 100 } } });
    const flow = testFlow();
    const old = testRun(flow);
    await backend.runs.create([old]);
    await backend.runs.patch(old.id, { status: 'failed', phase: 'done' }, { onlyIfActive: true });
    await new Promise((r) => setTimeout(r, 150));
    const success = testRun(flow);
    await backend.runs.create([success]);
    await backend.runs.patch(success.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    await backend.runs.trim();
    expect(await backend.runs.get(old.id)).toBeUndefined();
    expect(await backend.runs.get(success.id)).toBeDefined();
  });
});
