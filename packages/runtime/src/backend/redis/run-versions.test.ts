import { afterEach, describe, expect, it } from 'vitest';
import type { StepRecord } from '../../model/run-record';
import { backendPool, testFlow, testRun } from './_test-redis';

/**
 * Each process keeps a copy of the runs it works on and only reads a run
 * whole when another process changed it (run-cache.ts): these tests check
 * that a copy is never served once another process wrote.
 */
describe('Redis run copies', () => {
  const pool = backendPool('versions');
  afterEach(() => pool.dispose());

  const start = (step: StepRecord): StepRecord => ({
    ...step,
    status: 'running',
    startedAt: '2030-01-01T00:00:00.000Z',
  });

  it("sees another process's writes on the next read and write", async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const run = testRun(testFlow('f', 3));
    await a.runs.create([run]);
    const first = await a.runs.get(run.id);
    expect(first?.steps.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);

    await b.runs.putStep(run.id, start(run.steps[1]!));
    expect((await a.runs.get(run.id))?.steps[1]?.status).toBe('running');

    await b.runs.patch(run.id, { status: 'running' });
    const afterWrite = await a.runs.putStep(run.id, start(run.steps[0]!));
    expect(afterWrite?.status).toBe('running');
    expect(afterWrite?.steps.map((s) => s.status)).toEqual(['running', 'running', 'pending']);
    // The copy a process builds from its own write equals what Redis holds.
    expect(await b.runs.get(run.id)).toEqual(afterWrite);
  });

  it('writes planned starts only while the copy they were planned from is current', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const run = testRun(testFlow('f', 3));
    await a.runs.create([run]);
    const seen = (await a.runs.get(run.id))!;
    const end: StepRecord = { ...start(run.steps[0]!), status: 'succeeded', output: { ok: true } };
    const writes = [
      { step: end, ifStatus: ['pending', 'running'] as const, required: true },
      { step: start(run.steps[1]!), ifStatus: ['pending'] as const },
    ];

    const current = await a.runs.putSteps(run.id, writes, { basedOn: seen });
    expect(current?.written).toEqual([true, true]);
    expect(current?.run?.steps.map((s) => s.status)).toEqual(['succeeded', 'running', 'pending']);

    // Another process writes: a plan from the older copy only lands its first write.
    const stale = (await a.runs.get(run.id))!;
    await b.runs.putStep(run.id, start(run.steps[2]!));
    const refused = await a.runs.putSteps(
      run.id,
      [
        { step: { ...start(run.steps[1]!), status: 'succeeded' }, required: true },
        { step: { ...run.steps[2]!, status: 'skipped' }, ifStatus: ['pending', 'running'] },
      ],
      { basedOn: stale },
    );
    expect(refused?.written).toEqual([true, false]);
    expect(refused?.run?.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'running']);

    // A required write that is refused stops the rest; nothing is written.
    const none = await a.runs.putSteps(run.id, [
      { step: end, ifStatus: ['pending'], required: true },
      { step: { ...run.steps[2]!, status: 'skipped' } },
    ]);
    expect(none).toEqual({ written: [false, false] });
    expect(await a.runs.putSteps('run_missing', writes)).toBeUndefined();
  });
});
