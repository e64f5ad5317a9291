import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord, StepRecord } from '../model/run-record';
import { createEmbeddedBackend } from './embedded/index';
import { backendPool, TEST_TARGETS, testFlow, testRun } from './redis/_test-redis';
import type { Backend } from './types';

/**
 * `putSteps` with `status`: a step that parks and the run's status that
 * follows it are one write, so no reader ever sees one without the other;
 * a write planned from an older copy, or one a compare-and-set refused,
 * leaves the status to the separate settle that follows.
 */
const TARGETS = [
  'embedded',
  ...TEST_TARGETS.map((t) => `redis ${t}`),
  ...TEST_TARGETS.map((t) => `redis ${t}, 3 partitions`),
] as const;

describe.each(TARGETS)('the run status written with its steps on %s', (target) => {
  const pool = backendPool('run-status', target.startsWith('redis cluster') ? 'cluster' : 'server');
  afterEach(() => pool.dispose());

  const open = async (): Promise<Backend> => {
    if (target === 'embedded') return createEmbeddedBackend();
    return pool.open(target.includes('partitions') ? { partitions: 3 } : {});
  };

  /** A running run whose first step runs, as the store returned it. */
  async function running(backend: Backend): Promise<{ run: RunRecord; step: StepRecord }> {
    const created = testRun(testFlow());
    await backend.runs.create([created]);
    await backend.runs.patch(created.id, { status: 'running' });
    const step: StepRecord = { ...created.steps[0]!, status: 'running', startedAt: new Date().toISOString() };
    const result = await backend.runs.putSteps(created.id, [{ step }]);
    return { run: result!.run!, step };
  }

  const parked = (step: StepRecord): StepRecord => ({
    ...step,
    status: 'waiting',
    wait: { source: 'stripe', event: 'paid', key: 'pi_1', since: new Date().toISOString() },
  });

  it('moves the run to waiting with the step that parks, its indexes with it, seen by any process', async () => {
    const backend = await open();
    const { run, step } = await running(backend);
    const result = await backend.runs.putSteps(run.id, [{ step: parked(step), ifStatus: ['running'] }], {
      basedOn: run,
      status: 'waiting',
    });
    expect(result?.written).toEqual([true]);
    expect(result?.run?.status).toBe('waiting');
    expect(result?.run?.steps[0]?.status).toBe('waiting');
    const other = target === 'embedded' ? backend : await open();
    expect((await other.runs.get(run.id))?.status).toBe('waiting');
    expect(await other.runs.counts()).toMatchObject({ running: 0, waiting: 1 });
    expect((await other.runs.list({ status: 'waiting' })).runs.map((r) => r.id)).toEqual([run.id]);
    expect((await other.runs.list({ status: 'running' })).runs).toEqual([]);

    // And back to running with the step that wakes.
    const waiting = (await backend.runs.get(run.id))!;
    const woken = await backend.runs.putSteps(run.id, [{ step }], { basedOn: waiting, status: 'running' });
    expect(woken?.run?.status).toBe('running');
    expect(await other.runs.counts()).toMatchObject({ running: 1, waiting: 0 });
  });

  it('leaves the status alone when the writes were planned from an older copy', async () => {
    const backend = await open();
    const { run, step } = await running(backend);
    // Another writer changes the run after this copy was read.
    const other = target === 'embedded' ? backend : await open();
    await other.runs.putSteps(run.id, [{ step: { ...run.steps[1]!, status: 'running' } }]);
    const result = await backend.runs.putSteps(run.id, [{ step: parked(step) }], {
      basedOn: run,
      status: 'waiting',
    });
    expect(result?.written).toEqual([true]);
    expect(result?.run?.status).toBe('running');
    expect((await other.runs.get(run.id))?.status).toBe('running');
    expect(await other.runs.counts()).toMatchObject({ running: 1, waiting: 0 });
  });

  it('leaves the status alone when a write was refused, or without the copy it was planned from', async () => {
    const backend = await open();
    const { run, step } = await running(backend);
    const refused = await backend.runs.putSteps(
      run.id,
      [{ step: parked(step) }, { step: { ...run.steps[1]!, status: 'skipped' }, ifStatus: ['running'] }],
      { basedOn: run, status: 'waiting' },
    );
    expect(refused?.written).toEqual([true, false]);
    expect((await backend.runs.get(run.id))?.status).toBe('running');
    const current = (await backend.runs.get(run.id))!;
    await backend.runs.putSteps(run.id, [{ step }], { basedOn: current });
    const bare = await backend.runs.putSteps(run.id, [{ step: parked(step) }], { status: 'waiting' });
    expect(bare?.run?.status).toBe('running');
  });

  it('writes the runs of every partition at once, with and without a status', async () => {
    // Many writes in one tick: a Cluster's auto-pipelining groups them by each run's slot.
    const backend = await open();
    const started = await Promise.all(Array.from({ length: 30 }, () => running(backend)));
    const answers = await Promise.all(
      started.map(({ run, step }, i) =>
        backend.runs.putSteps(run.id, [{ step: parked(step) }], {
          basedOn: run,
          ...(i % 2 ? { status: 'waiting' as const } : {}),
        }),
      ),
    );
    expect(answers.map((a) => a?.run?.status)).toEqual(
      started.map((_, i) => (i % 2 ? 'waiting' : 'running')),
    );
    expect(await backend.runs.counts()).toMatchObject({ running: 15, waiting: 15 });
  });

  it('never moves a run that is queued or ended', async () => {
    const backend = await open();
    const queued = testRun(testFlow());
    await backend.runs.create([queued]);
    const stored = (await backend.runs.get(queued.id))!;
    const step: StepRecord = { ...queued.steps[0]!, status: 'running' };
    const answer = await backend.runs.putSteps(queued.id, [{ step: parked(step) }], {
      basedOn: stored,
      status: 'waiting',
    });
    expect(answer?.run?.status).toBe('queued');
    await backend.runs.patch(queued.id, { status: 'cancelled', endedAt: new Date().toISOString() });
    const ended = (await backend.runs.get(queued.id))!;
    const after = await backend.runs.putSteps(queued.id, [{ step }], { basedOn: ended, status: 'running' });
    expect(after?.run?.status).toBe('cancelled');
    expect(await backend.runs.counts()).toMatchObject({ queued: 0, running: 0, waiting: 0, cancelled: 1 });
  });
});
