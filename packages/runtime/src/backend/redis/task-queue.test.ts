import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../model/task';
import { backendPool, TEST_TARGETS } from './_test-redis';
import { jobIdOf } from './task-queue';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(TEST_TARGETS)('Redis task queue on %s', (target) => {
  const pool = backendPool('queue', target);
  afterEach(() => pool.dispose());

  it('collapses duplicates by task id and parks delayed tasks', async () => {
    const backend = await pool.open();
    const handled: Task[] = [];
    const task: Task = { kind: 'step', run: 'run_1', step: 'a', route: 0, attempt: 1 };
    await backend.queue.enqueue([task, task]);
    await backend.queue.enqueue([task]);
    const later: Task = { kind: 'tick', flow: 'nightly', at: '2030-01-01T02:00:00.000Z' };
    await backend.queue.enqueue([later], { delayMs: 60_000 });
    expect(await backend.queue.depth()).toEqual({ waiting: 1, delayed: 1, active: 0 });
    backend.queue.consume(
      async (t) => {
        handled.push(t);
      },
      { concurrency: 2, onDead: async () => {} },
    );
    await until(() => handled.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(handled).toEqual([task]);
    expect(jobIdOf(later)).toBe('tick|nightly|2030-01-01T02%3A00%3A00.000Z');
  });

  it('cancels a delayed task (the flow timeout of an ended run), and only a delayed one', async () => {
    const backend = await pool.open();
    const timeout: Task = { kind: 'timeout', run: 'run_1' };
    const ready: Task = { kind: 'timeout', run: 'run_2' };
    await backend.queue.enqueue([timeout], { delayMs: 600_000 });
    await backend.queue.enqueue([ready]);
    expect(await backend.queue.depth()).toEqual({ waiting: 1, delayed: 1, active: 0 });
    await backend.queue.cancel?.(timeout);
    await backend.queue.cancel?.(ready);
    await backend.queue.cancel?.({ kind: 'timeout', run: 'run_none' });
    expect(await backend.queue.depth()).toEqual({ waiting: 1, delayed: 0, active: 0 });
    // Cancelled, it may be queued again.
    await backend.queue.enqueue([timeout], { delayMs: 600_000 });
    expect((await backend.queue.depth()).delayed).toBe(1);
  });

  it('retries a throwing handler, then hands the task to onDead', async () => {
    const backend = await pool.open({ queue: { attempts: 3 } });
    let calls = 0;
    const dead: Array<{ task: Task; error: unknown }> = [];
    backend.queue.consume(
      async () => {
        calls += 1;
        throw new Error(`bug ${calls}`);
      },
      { concurrency: 1, onDead: async (task, error) => void dead.push({ task, error }) },
    );
    const task: Task = { kind: 'start', run: 'run_poison' };
    await backend.queue.enqueue([task]);
    await until(() => dead.length === 1);
    expect(calls).toBe(3);
    expect(dead[0]).toEqual({ task, error: expect.objectContaining({ message: 'bug 3' }) });
  });

  it('hands a task still running at the drain deadline back to another worker', async () => {
    const [leaving, staying] = [await pool.open(), await pool.open()];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const startedBy: string[] = [];
    leaving.queue.consume(
      async () => {
        startedBy.push('leaving');
        await held;
      },
      { concurrency: 1, onDead: async () => {} },
    );
    const task: Task = { kind: 'start', run: 'run_long' };
    await leaving.queue.enqueue([task]);
    await until(() => startedBy.length === 1);
    await leaving.queue.stop(100);
    staying.queue.consume(
      async () => {
        startedBy.push('staying');
      },
      { concurrency: 1, onDead: async () => {} },
    );
    await until(() => startedBy.length === 2);
    expect(startedBy).toEqual(['leaving', 'staying']);
    release();
  });
});
