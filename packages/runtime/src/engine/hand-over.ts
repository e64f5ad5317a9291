import type { RunRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { EngineContext } from './context';

/**
 * A run's next step, run by the task that made it ready instead of going
 * through the queue: a linear flow then costs one queue job per run rather
 * than one per step (on Redis the queue's job add, fetch and finish are most
 * of a step's cost).
 *
 * Only a step just started, on its first attempt, is handed over, one per
 * task, and only when the write that started it left it the run's one
 * running step: no other task of the run is then in hand or in the queue
 * to find it started without an attempt and queue it too (release-ready.ts),
 * which would run it twice. Parallel branches go through the queue, where
 * a step's task id keeps a second copy out. Nothing is lost to a crash:
 * the step's start was written before, and the task being handled is only
 * finished once its hand-overs are, so a worker that dies leaves that task
 * to be handed out again, and its advance() queues a started step that has
 * no attempt yet (release-ready.ts).
 */

/** Hand-overs one queue task may carry before the rest goes back to the queue. */
export const MAX_HAND_OVERS = 64;

/** The slot a task's hand-over waits in until the task's own work is done. */
export interface HandOverSlot {
  next: Extract<Task, { kind: 'step' }> | undefined;
}

/** `ctx` for handling one task: its first eligible queued step goes to `slot` instead of the queue. */
export function handingOver(ctx: EngineContext, slot: HandOverSlot): EngineContext {
  return {
    ...ctx,
    enqueue(tasks, options) {
      const run = options?.startedIn;
      if (slot.next !== undefined || !run || options.delayMs) return ctx.enqueue(tasks, options);
      const index = tasks.findIndex((task) => isFirstAttempt(task) && runsAlone(run, task.step));
      if (index < 0) return ctx.enqueue(tasks, options);
      slot.next = tasks[index] as Extract<Task, { kind: 'step' }>;
      const rest = tasks.filter((_, i) => i !== index);
      return rest.length > 0 ? ctx.enqueue(rest, options) : Promise.resolve();
    },
  };
}

function isFirstAttempt(task: Task): task is Extract<Task, { kind: 'step' }> {
  return task.kind === 'step' && task.item === undefined && task.route === 0 && task.attempt === 1;
}

/** True when `step` is the only step of the run in its main phase that is running. */
export function runsAlone(run: RunRecord, step: string): boolean {
  if (run.phase !== 'main') return false;
  for (const record of run.steps) {
    if (record.status === 'running' && record.id !== step) return false;
  }
  return true;
}
