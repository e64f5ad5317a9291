import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../model/task';
import { backendPool, rawClient, testFlow, testRun } from './_test-redis';
import type { RedisBackend } from './index';
import { Keys } from './keys';
import { jobIdOf } from './task-queue';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Ingests `count` runs, one webhook each: one start-stream entry per run. */
async function ingestRuns(backend: RedisBackend, count: number): Promise<string[]> {
  const flow = testFlow();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const run = testRun(flow);
    await backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 });
    ids.push(run.id);
  }
  return ids;
}

describe('Redis run starts taken straight from the start stream', () => {
  const pool = backendPool('local-starts');
  afterEach(() => pool.dispose());

  const streamLength = async () => {
    const raw = rawClient();
    try {
      return await raw.xlen(new Keys(pool.prefix).starts);
    } finally {
      raw.disconnect();
    }
  };

  it('runs a new start in the worker that read it, without a queue job, then deletes the entry', async () => {
    const backend = await pool.open();
    const started: string[] = [];
    backend.queue.consume(
      async (task) => {
        if (task.kind === 'start') started.push(task.run);
      },
      { concurrency: 4, onDead: async () => {} },
    );
    const [id] = await ingestRuns(backend, 1);
    await until(() => started.length === 1);
    expect(started).toEqual([id]);
    await until(async () => (await streamLength()) === 0);
    const job = await (
      backend.queue as unknown as { queue: { getJob(id: string): Promise<unknown> } }
    ).queue.getJob(jobIdOf({ kind: 'start', run: id! }));
    expect(job).toBeUndefined();
    expect(await backend.queue.depth()).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('never runs more tasks at once than its concurrency, starts and queue jobs together', async () => {
    const backend = await pool.open();
    let running = 0;
    let most = 0;
    const done: string[] = [];
    const handle = async (task: Task) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 20));
      running -= 1;
      if (task.kind === 'start' || task.kind === 'step') done.push(task.run);
    };
    backend.queue.consume(handle, { concurrency: 3, onDead: async () => {} });
    const steps: Task[] = Array.from({ length: 6 }, (_, i) => ({
      kind: 'step',
      run: `run_q${i}`,
      step: 'a',
      route: 0,
      attempt: 1,
    }));
    await backend.queue.enqueue(steps);
    await ingestRuns(backend, 12);
    await until(() => done.length === 18);
    expect(most).toBeLessThanOrEqual(3);
    expect(await streamLength()).toBe(0);
  });

  it('leaves a flood of starts beyond the slots of every worker in the stream, counted as waiting, and runs each once', async () => {
    const workers = [await pool.open(), await pool.open()];
    const ran = new Map<string, number>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = 0;
    for (const backend of workers) {
      backend.queue.consume(
        async (task) => {
          if (task.kind !== 'start') return;
          running += 1;
          await gate;
          running -= 1;
          ran.set(task.run, (ran.get(task.run) ?? 0) + 1);
        },
        { concurrency: 2, onDead: async () => {} },
      );
    }
    const ids = await ingestRuns(workers[0]!, 40);
    // Both workers full: four starts held, the other 36 wait in the stream, none read ahead.
    await until(() => running === 4);
    await until(async () => {
      const depth = await workers[0]!.queue.depth();
      return depth.active === 4 && depth.waiting === 36;
    });
    expect(await streamLength()).toBe(40);

    release();
    await until(() => ran.size === 40, 15_000);
    expect([...ran.keys()].sort()).toEqual([...ids].sort());
    expect([...ran.values()].every((times) => times === 1)).toBe(true);
    await until(async () => (await streamLength()) === 0);
    expect(await workers[1]!.queue.depth()).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('queues a start whose handler threw, so the queue retries it and finally hands it to onDead', async () => {
    const backend = await pool.open({ queue: { attempts: 2 } });
    let calls = 0;
    const dead: Task[] = [];
    backend.queue.consume(
      async () => {
        calls += 1;
        throw new Error(`bug ${calls}`);
      },
      { concurrency: 2, onDead: async (task) => void dead.push(task) },
    );
    const [id] = await ingestRuns(backend, 1);
    await until(() => dead.length === 1);
    // Its first try here, then the queue's attempts.
    expect(calls).toBe(3);
    expect(dead).toEqual([{ kind: 'start', run: id }]);
    expect(await streamLength()).toBe(0);
  });

  it('keeps a long start of a live worker from being taken over, and settles it when it ends', async () => {
    const [busy, other] = [await pool.open({ claimIdleMs: 150 }), await pool.open({ claimIdleMs: 150 })];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const startedBy: string[] = [];
    busy.queue.consume(
      async () => {
        startedBy.push('busy');
        await held;
      },
      { concurrency: 2, onDead: async () => {} },
    );
    await ingestRuns(busy, 1);
    await until(() => startedBy.length === 1);
    other.queue.consume(
      async () => {
        startedBy.push('other');
      },
      { concurrency: 2, onDead: async () => {} },
    );
    // Several takeover periods pass: the running start's claim is renewed.
    await new Promise((r) => setTimeout(r, 800));
    expect(startedBy).toEqual(['busy']);
    release();
    await until(async () => (await streamLength()) === 0);
    expect(startedBy).toEqual(['busy']);
  });

  it('hands a start still running at the drain deadline back to another worker', async () => {
    const [leaving, staying] = [await pool.open(), await pool.open()];
    const startedBy: string[] = [];
    leaving.queue.consume(
      async () => {
        startedBy.push('leaving');
        await new Promise(() => {});
      },
      { concurrency: 2, onDead: async () => {} },
    );
    const [id] = await ingestRuns(leaving, 1);
    await until(() => startedBy.length === 1);
    await leaving.queue.stop(100);
    expect(await streamLength()).toBe(0);
    const handled: Task[] = [];
    staying.queue.consume(
      async (task) => {
        startedBy.push('staying');
        handled.push(task);
      },
      { concurrency: 2, onDead: async () => {} },
    );
    await until(() => startedBy.length === 2);
    expect(startedBy).toEqual(['leaving', 'staying']);
    expect(handled).toEqual([{ kind: 'start', run: id }]);
  });
});
