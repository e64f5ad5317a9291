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
    await backend.runs.patch(old.id, { status: 'failed', phase: 'done' }, { onlyIfActive: true });
    await new Promise((r) => setTimeout(r, 150));
    const fresh = testRun(flow);
    await backend.runs.create([fresh]);
    await backend.runs.patch(fresh.id, { status: 'failed', phase: 'done' }, { onlyIfActive: true });
    await backend.runs.trim();
    expect(await backend.runs.get(old.id)).toBeUndefined();
    expect(await backend.runs.get(fresh.id)).toBeDefined();
    expect((await backend.runs.list({ status: 'failed' })).runs.map((r) => r.id)).toEqual([fresh.id]);
  });
});
