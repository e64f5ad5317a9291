import type { CompensationRecord, StepRecord } from '../model/run-record';
import type { CallOutcome, CompensateTask, Decision } from './decision';
import { NOTHING } from './decision';
import type { Planning } from './planning';
import { mayRetry, retryDelay } from './retry';

/**
 * A compensation's task arrived: call the step's `compensate` route, unless
 * the run is past compensating or the task is behind the record (then it
 * queues what the record expects).
 */
export function planCompensateTask(p: Planning, task: CompensateTask): Decision {
  const { run } = p;
  if (run.phase !== 'compensating') return NOTHING;
  const step = p.flow.byId.get(task.step);
  const record = run.steps.find((r) => r.id === task.step);
  const route = step?.compensate;
  if (!step || !record || !route || record.status !== 'succeeded') return NOTHING;
  const previous = record.compensation;
  if (previous && previous.status !== 'running') return NOTHING;
  const expected = (previous?.attempts.length ?? 0) + 1;
  if (expected !== task.attempt) {
    return expected > task.attempt ? { tasks: [{ ...task, attempt: expected }] } : NOTHING;
  }
  return {
    ...(task.attempt === 1
      ? {
          events: [
            {
              type: 'compensation.started',
              runId: run.id,
              flow: run.flow,
              step: step.id,
              action: route.action,
            },
          ],
        }
      : {}),
    call: { task },
  };
}

/**
 * A compensation's attempt came back. Retried under the compensation's own
 * policy; one that still fails is recorded and the run moves on to the next:
 * one stuck refund must not keep the others from running.
 */
export function planCompensation(p: Planning, task: CompensateTask, outcome: CallOutcome): Decision {
  const { run } = p;
  const route = p.flow.byId.get(task.step)?.compensate;
  const record = run.steps.find((r) => r.id === task.step);
  if (!route || !record) return { afterwards: 'changed' };
  const attempts = [...(record.compensation?.attempts ?? []), outcome.attempt];
  let compensation: CompensationRecord;
  let status: StepRecord['status'] = 'succeeded';
  if (outcome.ok) {
    compensation = { status: 'succeeded', action: route.action, attempts };
    status = 'compensated';
  } else if (mayRetry(route.retry, task.attempt, outcome.error)) {
    return {
      writes: [{ step: { ...record, compensation: { status: 'running', action: route.action, attempts } } }],
      tasks: [{ ...task, attempt: task.attempt + 1 }],
      delayMs: retryDelay(route.retry, task.attempt, outcome.error.retryAfterMs, p.random),
    };
  } else {
    compensation = { status: 'failed', action: route.action, attempts, error: outcome.serialized };
  }
  return {
    writes: [
      {
        step: { ...record, status, compensation },
        required: true,
        events: [
          {
            type: 'compensation.ended',
            runId: run.id,
            flow: run.flow,
            step: record.id,
            status: compensation.status === 'succeeded' ? 'succeeded' : 'failed',
            ...(compensation.error ? { error: compensation.error } : {}),
          },
        ],
      },
    ],
    afterwards: 'changed',
  };
}
