import type { SerializedError } from '@baton/sdk/host';
import type { CompiledFlow } from '../compile/compile-flow';
import type { RunRecord, StepRecord } from '../model/run-record';
import { type Decision, NOTHING, type PlannedWrite } from './decision';
import { interruptParked } from './interrupt';
import type { Planning } from './planning';
import { PENDING, skipped } from './records';
import { unknownError } from './run-error';

/**
 * A step failed for good (or the run timed out): stop starting steps (the
 * phase changes first, so no concurrent end starts one), mark the steps
 * that never started, interrupt the parked ones (interrupt.ts), let the
 * running ones end, then compensate.
 */
export function beginFailure(p: Planning, cause: SerializedError | undefined, stepId?: string): Decision {
  const { run } = p;
  if (run.phase !== 'main') return planCompensation(p);
  const error: SerializedError = stepId
    ? {
        ...(cause ?? unknownError()),
        message: `Step "${stepId}" failed: ${cause?.message ?? 'unknown error'}`,
      }
    : (cause ?? unknownError());
  const interrupted = interruptParked(p);
  const writes: PlannedWrite[] = interrupted.writes;
  for (const record of run.steps) {
    if (record.phase === 'main' && record.status === 'pending') {
      writes.push({ step: skipped(record, 'the run failed', p.now), ifStatus: PENDING });
    }
  }
  return {
    patch: { phase: 'compensating', error },
    writes,
    ...(interrupted.forget.length > 0 ? { forget: interrupted.forget } : {}),
    afterwards: 'changed',
  };
}

/**
 * The rule of compensation: once no main step is running, undo the steps
 * that succeeded, latest finished first, one at a time; then the
 * `onFailure` phase.
 */
export function planCompensation(p: Planning): Decision {
  const { flow, run } = p;
  // Wait for steps still running: their effects must be undone too.
  if (run.steps.some((r) => r.phase === 'main' && r.status === 'running')) return NOTHING;
  const next = compensationOrder(flow, run).find(
    (r) => r.compensation === undefined || r.compensation.status === 'running',
  );
  if (next) {
    // A compensation under way has its task; one not begun gets its first.
    return next.compensation === undefined
      ? { tasks: [{ kind: 'compensate', run: run.id, step: next.id, attempt: 1 }] }
      : NOTHING;
  }
  return { patch: { phase: 'onFailure' }, afterwards: 'changed' };
}

/** The steps to compensate, latest finished first (flow order breaks ties, later first). */
export function compensationOrder(flow: CompiledFlow, run: RunRecord): StepRecord[] {
  return run.steps
    .filter(
      (r) =>
        r.phase === 'main' &&
        flow.byId.get(r.id)?.compensate &&
        (r.status === 'succeeded' || r.status === 'compensated'),
    )
    .sort(
      (a, b) =>
        (b.endedAt ?? '').localeCompare(a.endedAt ?? '') ||
        flow.byId.get(b.id)!.index - flow.byId.get(a.id)!.index,
    );
}
