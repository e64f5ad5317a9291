import type { CompiledStep } from '../compile/compile-flow';
import type { EngineEvent } from '../model/events';
import { isoMs } from '../model/iso-time';
import type { StepRecord } from '../model/run-record';
import type { CallOutcome, StepTask } from './decision';
import type { Planning } from './planning';
import type { AfterFailure } from './retry';

/** The engine events the planner's step decisions emit. */

/** `step.attempt-failed`, with when the next attempt is due when it is retried. */
export function attemptFailed(
  p: Planning,
  step: CompiledStep,
  task: StepTask,
  outcome: Extract<CallOutcome, { ok: false }>,
  next: AfterFailure,
): EngineEvent {
  return {
    type: 'step.attempt-failed',
    runId: p.run.id,
    flow: p.run.flow,
    step: step.id,
    action: step.routes[task.route]!.action,
    attempt: task.attempt,
    ...(task.item !== undefined ? { item: task.item } : {}),
    error: outcome.serialized,
    ...(next.next === 'retry' ? { retryInMs: next.delayMs } : {}),
  };
}

export function rerouted(p: Planning, step: CompiledStep, task: StepTask, to: number): EngineEvent {
  return {
    type: 'step.rerouted',
    runId: p.run.id,
    flow: p.run.flow,
    step: step.id,
    from: step.routes[task.route]!.action,
    to: step.routes[to]!.action,
    ...(task.item !== undefined ? { item: task.item } : {}),
  };
}

/** `step.ended` of a step that failed for good. */
export function stepFailed(p: Planning, record: StepRecord, startedAt: string): EngineEvent {
  return {
    type: 'step.ended',
    runId: p.run.id,
    flow: p.run.flow,
    step: record.id,
    status: 'failed',
    durationMs: p.now - isoMs(startedAt),
    ...(record.error ? { error: record.error } : {}),
  };
}
