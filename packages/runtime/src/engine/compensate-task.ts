import { compensationKey } from '../model/idempotency';
import type { CompensationRecord, RunRecord, StepRecord } from '../model/run-record';
import type { Task } from '../model/task';
import { callRoute } from './call-route';
import type { CompiledFlow } from './compile-flow';
import type { EngineContext } from './context';
import { advance } from './progress';
import { retryDelay } from './retry-policy';
import { scopeOf } from './scope';

type CompensateTask = Extract<Task, { kind: 'compensate' }>;

/**
 * One attempt to undo a succeeded step. Retried under the compensation's own
 * policy; a compensation that still fails is recorded and the run moves on
 * to the next one: one stuck refund must not keep the others from running.
 */
export async function runCompensateTask(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  task: CompensateTask,
): Promise<void> {
  if (run.phase !== 'compensating') return;
  const step = flow.byId.get(task.step);
  const record = run.steps.find((r) => r.id === task.step);
  const route = step?.compensate;
  if (!step || !record || !route || record.status !== 'succeeded') return;
  const previous = record.compensation;
  if (previous && previous.status !== 'running') return;
  const expected = (previous?.attempts.length ?? 0) + 1;
  if (expected !== task.attempt) {
    // A duplicate, or a redelivery after a crash: queue what the record expects.
    if (expected > task.attempt) await ctx.enqueue([{ ...task, attempt: expected }]);
    return;
  }
  if (task.attempt === 1)
    ctx.emit({
      type: 'compensation.started',
      runId: run.id,
      flow: run.flow,
      step: step.id,
      action: route.action,
    });

  const outcome = await callRoute(ctx, {
    runId: run.id,
    flow: run.flow,
    step: step.id,
    route,
    routeIndex: 0,
    attempt: task.attempt,
    idempotencyKey: compensationKey(run.id, step.id),
    scope: scopeOf(run),
  });
  const attempts = [...(previous?.attempts ?? []), outcome.attempt];
  let compensation: CompensationRecord;
  let status: StepRecord['status'] = 'succeeded';
  if (outcome.ok) {
    compensation = { status: 'succeeded', action: route.action, attempts };
    status = 'compensated';
  } else {
    const retryable = outcome.error.retryable && !route.retry.nonRetryable.has(outcome.error.code);
    if (retryable && task.attempt < route.retry.maxAttempts) {
      const delayMs = retryDelay(route.retry, task.attempt, outcome.error.retryAfterMs);
      await ctx.backend.runs.putStep(run.id, {
        ...record,
        compensation: { status: 'running', action: route.action, attempts },
      });
      await ctx.enqueue([{ ...task, attempt: task.attempt + 1 }], { delayMs });
      return;
    }
    compensation = { status: 'failed', action: route.action, attempts, error: outcome.serialized };
  }
  const updated = await ctx.backend.runs.putStep(run.id, { ...record, status, compensation });
  ctx.emit({
    type: 'compensation.ended',
    runId: run.id,
    flow: run.flow,
    step: step.id,
    status: compensation.status === 'succeeded' ? 'succeeded' : 'failed',
    ...(compensation.error ? { error: compensation.error } : {}),
  });
  if (updated) await advance(ctx, flow, updated);
}
