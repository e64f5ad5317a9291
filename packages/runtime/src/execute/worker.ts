import { NonRetryableError } from '@baton/sdk';
import { isTracing, serializeError } from '@baton/sdk/host';
import type { RunRecord } from '../model/run-record';
import type { RunTask } from '../plan/decision';
import { publishTraced, traceTask } from '../trace/tasks';
import type { ExecuteContext } from './context';
import { drive } from './drive';

/**
 * A run's next step is run by the task that made it ready instead of going
 * through the queue: a linear flow then costs one queue job per run rather
 * than one per step (on Redis the queue's job add, fetch and finish are most
 * of a step's cost).
 *
 * The planner names the step to run next (`Decision.runNext`): only a step
 * just started, on its first attempt, when the write that started it left it
 * the run's one running step; and when it runs, it is planned again on the
 * run as stored, and goes to the queue should another step have started
 * since. Parallel branches go through the queue, where a step's task id keeps
 * a second copy out. Nothing is lost to a crash: the step's start was written
 * before, and the task being handled is only finished once its hand-overs
 * are, so a worker that dies leaves that task to be handed out again, and
 * the planner queues a started step that has no attempt yet (plan/ready.ts).
 */

/** Hand-overs one queue task may carry before the rest goes back to the queue. */
export const MAX_HAND_OVERS = 64;

/** The queue's handler for a run's task, then the steps it handed over. */
export function handleRunTask(ctx: ExecuteContext, task: RunTask, stopping: () => boolean): Promise<void> {
  if (isTracing()) return traceTask(ctx, task, (run) => carry(ctx, task, stopping, run));
  return carry(ctx, task, stopping);
}

/** The task, then the steps it hands over; `run` when the caller read it already. */
async function carry(
  ctx: ExecuteContext,
  task: RunTask,
  stopping: () => boolean,
  run?: RunRecord,
): Promise<void> {
  // Draining, or carried long enough: the queue takes the next step (any worker may).
  const next = await drive(
    ctx,
    task.run,
    { kind: 'task', task },
    {
      run,
      mayHandOver: true,
      carryOn: (_, carried) => !stopping() && carried < MAX_HAND_OVERS,
    },
  );
  if (next) await (isTracing() ? publishTraced(ctx, [next]) : ctx.backend.queue.enqueue([next]));
}

/** A task that failed every delivery: its run fails with TASK_FAILED rather than hang. */
export async function failRunOf(ctx: ExecuteContext, task: RunTask, error: unknown): Promise<void> {
  const failure = new NonRetryableError(
    `Baton failed handling this run: ${(error as Error)?.message ?? String(error)}`,
    { code: 'TASK_FAILED' },
  );
  const run = await ctx.backend.runs.get(task.run).catch(() => undefined);
  if (!run) return;
  await drive(
    ctx,
    task.run,
    { kind: 'task-failed', error: serializeError(failure, { secrets: [...ctx.secrets] }) },
    { run },
  );
}
