import { afterEach, describe, expect, it } from 'vitest';
import type { StepRecord } from '../../model/run-record';
import { backendPool, TEST_TARGETS, testFlow, testRun } from './_test-redis';
import { Keys } from './keys';

describe.each(TEST_TARGETS)('Redis run store on %s', (target) => {
  const pool = backendPool('runs', target);
  afterEach(() => pool.dispose());

  it('starts a step exactly once however many workers try (compare-and-set on its status)', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const run = testRun(testFlow());
    await a.runs.create([run]);
    const step = run.steps[0]!;
    const started: StepRecord = { ...step, status: 'running', startedAt: new Date().toISOString() };
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).runs.putStep(run.id, started, { ifStatus: ['pending'] }),
      ),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
    const after = attempts.find(Boolean)!;
    expect(after.steps[0]).toEqual(started);
    expect(after.steps[1]).toEqual(run.steps[1]);
    // Unconditional writes always land; unknown runs and steps are refused.
    const done: StepRecord = { ...started, status: 'succeeded', output: { id: 1 } };
    expect((await b.runs.putStep(run.id, done))!.steps[0]).toEqual(done);
    expect(await a.runs.putStep('run_missing', done)).toBeUndefined();
    expect(await a.runs.putStep(run.id, { ...done, id: 'nope' })).toBeUndefined();
    expect(await a.runs.putStep(run.id, done, { ifStatus: ['pending', 'running'] })).toBeUndefined();
    // An empty list allows no status, in putStep and putSteps alike (as on the embedded backend).
    expect(await a.runs.putStep(run.id, done, { ifStatus: [] })).toBeUndefined();
    expect(await a.runs.putSteps(run.id, [{ step: done, ifStatus: [] }])).toEqual({ written: [false] });
  });

  it('checks a step written twice in one call against its first write, and bumps the version once', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const run = testRun(testFlow());
    await a.runs.create([run]);
    const seen = (await a.runs.get(run.id))!;
    const step = run.steps[0]!;
    const started: StepRecord = { ...step, status: 'running', startedAt: new Date().toISOString() };
    const done: StepRecord = { ...started, status: 'succeeded', output: { id: 1 } };
    const twice = await a.runs.putSteps(
      run.id,
      [
        { step: started, ifStatus: ['pending'], required: true },
        { step: done, ifStatus: ['running'] },
        { step: { ...done, status: 'failed' }, ifStatus: ['running'] },
      ],
      { basedOn: seen },
    );
    expect(twice?.written).toEqual([true, true, false]);
    expect(twice?.run?.steps[0]).toEqual(done);
    // Another process reads what this one built from its own write.
    expect(await b.runs.get(run.id)).toEqual(twice?.run);
    const raw = await pool.raw();
    try {
      expect(await raw.hget(new Keys(pool.prefix).run(run.id), 'v')).toBe('1');
    } finally {
      raw.disconnect();
    }
  });

  it('ends a run once, keeps status counts in step, appends the audit and drops forEach items', async () => {
    const backend = await pool.open();
    const run = testRun(testFlow());
    await backend.runs.create([run]);
    await backend.runs.putItem(run.id, 's0', {
      index: 1,
      status: 'succeeded',
      route: 0,
      routeAttempts: 1,
      attempts: [],
    });
    const items = await backend.runs.putItem(run.id, 's0', {
      index: 0,
      status: 'running',
      route: 0,
      routeAttempts: 0,
      attempts: [],
    });
    expect(items.map((i) => i.index)).toEqual([0, 1]);
    expect(await backend.runs.items(run.id, 's1')).toEqual([]);

    const running = await backend.runs.patch(run.id, {
      status: 'running',
      startedAt: '2030-01-01T00:00:00.000Z',
    });
    expect(running).toMatchObject({ status: 'running', startedAt: '2030-01-01T00:00:00.000Z' });
    expect(await backend.runs.counts()).toMatchObject({ queued: 0, running: 1 });

    const at = new Date().toISOString();
    const ends = await Promise.all([
      backend.runs.patch(
        run.id,
        { status: 'succeeded', phase: 'done', output: { ok: true } },
        { onlyIfActive: true },
      ),
      backend.runs.patch(
        run.id,
        { status: 'cancelled', phase: 'done', appendAudit: { action: 'cancel', actor: 'x', at } },
        { onlyIfActive: true },
      ),
    ]);
    expect(ends.filter(Boolean)).toHaveLength(1);
    const ended = (await backend.runs.get(run.id))!;
    expect(['succeeded', 'cancelled']).toContain(ended.status);
    expect(await backend.runs.counts()).toMatchObject({ running: 0, [ended.status]: 1 });
    expect(await backend.runs.items(run.id, 's0')).toEqual([]);

    const audited = await backend.runs.patch(run.id, { appendAudit: { action: 'replay', actor: 'a', at } });
    const audited2 = await backend.runs.patch(run.id, { appendAudit: { action: 'replay', actor: 'b', at } });
    expect(audited2!.audit.slice(-2)).toEqual([
      { action: 'replay', actor: 'a', at },
      { action: 'replay', actor: 'b', at },
    ]);
    expect(audited!.status).toBe(ended.status);
    expect(await backend.runs.patch('run_missing', { status: 'failed' })).toBeUndefined();

    const raw = await pool.raw();
    try {
      // A finished run's hash expires on its own, past the retention age.
      expect(await raw.pttl(new Keys(pool.prefix).run(run.id))).toBeGreaterThan(0);
    } finally {
      raw.disconnect();
    }
  });
});
