import { defineAction, defineConnector } from '@baton/sdk';
import { createConnectorInstance } from '@baton/sdk/host';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backendPool } from '../backend/redis/_test-redis';
import type { RedisTaskQueue } from '../backend/redis/task-queue';
import { compileFlow } from '../compile/compile-flow';
import { type Flow, flowSchema } from '../flow/schema';
import { createEngine, type Engine } from './engine';

/** A connector that counts its calls by step. */
function counting() {
  const calls = new Map<string, number>();
  const connector = defineConnector({
    name: 'count',
    config: z.object({}),
    actions: {
      hit: defineAction({
        input: z.object({ step: z.string() }),
        output: z.object({ ok: z.boolean() }),
        async run({ input }) {
          calls.set(input.step, (calls.get(input.step) ?? 0) + 1);
          return { ok: true };
        },
      }),
    },
  });
  return { calls, instance: createConnectorInstance(connector, {}, { name: 'count' }) };
}

function flow(id: string, steps: Array<{ id: string; needs?: string[] }>) {
  return compileFlow(
    flowSchema.parse({
      id,
      trigger: { source: 's', event: id },
      steps: steps.map((s) => ({ ...s, action: 'count.hit', input: { step: s.id } })),
    }) as Flow,
  );
}

const RUNS = 20;

describe('steps handed over to the worker that made them ready (Redis)', () => {
  const pool = backendPool('hand-over');
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.stop({ drainMs: 1000 });
    await pool.dispose();
  });

  /** Runs `RUNS` runs of a flow at once; what each step was called, and the queue jobs made. */
  async function runMany(flowId: string, steps: Array<{ id: string; needs?: string[] }>) {
    const { calls, instance } = counting();
    const backend = await pool.open();
    engine = createEngine({
      flows: [flow(flowId, steps)],
      instances: new Map([['count', instance]]),
      backend,
    });
    engine.startWorker({ concurrency: 8 });
    const time = new Date().toISOString();
    const fired = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        engine!.dispatch({ specversion: '1.0', id: `evt-${i}`, source: 's', type: flowId, time, data: {} }),
      ),
    );
    const runs = await Promise.all(
      fired.map((f) => engine!.waitForRun(f.runs[0]!.runId, { timeoutMs: 10_000 })),
    );
    const jobs = await (backend.queue as RedisTaskQueue).queue.getJobs([
      'completed',
      'waiting',
      'active',
      'delayed',
    ]);
    const byName = (name: string) => jobs.filter((job) => job.name === name).length;
    return {
      statuses: new Set(runs.map((r) => r.status)),
      calls: Object.fromEntries(calls),
      jobs: { start: byName('start'), step: byName('step') },
    };
  }

  it('runs a linear flow in its start task: one queue job per run', async () => {
    const { statuses, calls, jobs } = await runMany('line', [
      { id: 'a' },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['b'] },
      { id: 'd', needs: ['c'] },
    ]);
    expect(statuses).toEqual(new Set(['succeeded']));
    expect(calls).toEqual({ a: RUNS, b: RUNS, c: RUNS, d: RUNS });
    expect(jobs).toEqual({ start: RUNS, step: 0 });
  });

  it('sends parallel branches through the queue, each step run once', async () => {
    const { statuses, calls, jobs } = await runMany('fan', [
      { id: 'a' },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['a'] },
      { id: 'd', needs: ['b', 'c'] },
    ]);
    expect(statuses).toEqual(new Set(['succeeded']));
    expect(calls).toEqual({ a: RUNS, b: RUNS, c: RUNS, d: RUNS });
    // b and c start together: both become queue jobs; a and d are handed over.
    expect(jobs).toEqual({ start: RUNS, step: 2 * RUNS });
  });
});
