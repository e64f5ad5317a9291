import { NonRetryableError, type SerializedError, serializeError } from '@baton/sdk';
import { isoTime } from '../model/iso-time';
import {
  copyRun,
  type RunRecord,
  type StepRecord,
  type StepStatus,
  TERMINAL_RUN_STATUSES,
} from '../model/run-record';
import type { Task } from '../model/task';
import type { CompiledFlow, CompiledStep } from './compile-flow';
import type { EngineContext } from './context';
import { announce, ended, PENDING, planReady, releaseReady, skipped } from './release-ready';
import { scopeOf } from './scope';

/**
 * Moves a run forward after something changed: starts the steps whose needs
 * ended, skips those whose `if` is false, and on failure walks through
 * compensation and `onFailure` to the end. Every step here is idempotent:
 * any worker may call it any number of times for the same state.
 */
export async function advance(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  queued: readonly Task[] = [],
): Promise<void> {
  if (TERMINAL_RUN_STATUSES.has(run.status)) return;
  switch (run.phase) {
    case 'main':
      return advanceMain(ctx, flow, run, queued);
    case 'compensating':
      return continueCompensation(ctx, flow, run);
    case 'onFailure':
      return advanceOnFailure(ctx, flow, run);
    case 'done':
      return;
  }
}

/** A step's end, as endStep() writes it. */
export interface StepEnd {
  record: StepRecord;
  ifStatus: readonly StepStatus[];
  /** Called once the end was written, before the steps it started are announced. */
  onWritten?: () => void;
}

/**
 * Records a main step's end and, in the same write, starts the steps it
 * makes ready, then moves the run on as advance() does: on Redis one round
 * trip per step fewer. The starts are planned from the run as the task read
 * it, so the store makes them only when nothing changed the run since (a
 * failure elsewhere must stop new starts); otherwise advance() plans again
 * from the run as stored. Does nothing more when the step's record was no
 * longer open (a duplicate task).
 */
export async function endStep(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  end: StepEnd,
): Promise<void> {
  const local = copyRun(run, { steps: run.steps.map((r) => (r.id === end.record.id ? end.record : r)) });
  const eligible = run.phase === 'main' && run.status !== 'queued' && !TERMINAL_RUN_STATUSES.has(run.status);
  const planning = eligible && !firstFailure(flow, local) ? planReady(ctx, flow.main, local, []) : undefined;
  const planned = (planning instanceof Promise ? await planning : planning)?.planned ?? [];
  const result = await ctx.backend.runs.putSteps(
    run.id,
    [
      { step: end.record, ifStatus: end.ifStatus, required: true },
      ...planned.map((p) => ({ step: p.next, ifStatus: PENDING })),
    ],
    { basedOn: run },
  );
  if (!result?.written[0] || !result.run) return;
  end.onWritten?.();
  const tasks = announce(ctx, result.run, planned, result.written.slice(1));
  if (tasks.length > 0) await ctx.enqueue(tasks, { startedIn: result.run });
  // Every planned start written means the run was as planned from, plus them: nothing else is
  // ready (a started step has not ended) and the run neither ended nor failed, so planning
  // again would find nothing. Only its running/waiting status may need to follow.
  const asPlanned = planned.length > 0 && planned.every((p, i) => !p.skip && result.written[i + 1]);
  if (asPlanned) await settleStatus(ctx, result.run);
  else await advance(ctx, flow, result.run, tasks);
}

async function advanceMain(
  ctx: EngineContext,
  flow: CompiledFlow,
  start: RunRecord,
  queued: readonly Task[] = [],
): Promise<void> {
  const failed = firstFailure(flow, start);
  if (failed) {
    await beginFailure(ctx, flow, start, failed.error, failed.id);
    return;
  }
  const run = await releaseReady(ctx, flow.main, start, queued);
  if (!allEnded(flow, run, 'main')) {
    await settleStatus(ctx, run);
    return;
  }
  let output: unknown;
  if (flow.output) {
    try {
      output = await flow.output.evaluate(scopeOf(run));
    } catch (error) {
      const failure = new NonRetryableError(
        `The flow output could not be computed: ${(error as Error).message}`,
        {
          code: 'OUTPUT_EXPRESSION_FAILED',
        },
      );
      await beginFailure(ctx, flow, run, serializeError(failure, { secrets: ctx.secrets }));
      return;
    }
  }
  // onFailure steps will not run: say so rather than leave them pending.
  let final = run;
  for (const record of run.steps) {
    if (record.phase === 'onFailure' && record.status === 'pending') {
      final =
        (await ctx.backend.runs.putStep(run.id, skipped(record, 'the run succeeded', ctx), {
          ifStatus: ['pending'],
        })) ?? final;
    }
  }
  await end(ctx, final, { status: 'succeeded', ...(output !== undefined ? { output } : {}) });
}

/** Whether every step of a phase that the run has a record of ended (see ended()). */
function allEnded(flow: CompiledFlow, run: RunRecord, phase: CompiledStep['phase']): boolean {
  for (const record of run.steps) {
    if (ended(record)) continue;
    if (flow.byId.get(record.id)?.phase === phase) return false;
  }
  return true;
}

/**
 * A main step that failed for good and does not let the run go on. Run
 * records are in flow order, so the first found is the first in the flow.
 */
function firstFailure(flow: CompiledFlow, run: RunRecord): StepRecord | undefined {
  for (const record of run.steps) {
    if (record.status !== 'failed' || record.phase !== 'main') continue;
    const step = flow.byId.get(record.id);
    if (step && step.phase === 'main' && !step.continueOnError) return record;
  }
  return undefined;
}

/**
 * A step failed for good (or the run timed out): stop starting steps, let
 * the running ones end, then compensate what succeeded, in reverse order.
 */
export async function beginFailure(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  cause: SerializedError | undefined,
  stepId?: string,
): Promise<void> {
  let current = run;
  if (current.phase === 'main') {
    const error: SerializedError = stepId
      ? {
          ...(cause ?? unknownError()),
          message: `Step "${stepId}" failed: ${cause?.message ?? 'unknown error'}`,
        }
      : (cause ?? unknownError());
    current =
      (await ctx.backend.runs.patch(current.id, { phase: 'compensating', error }, { onlyIfActive: true })) ??
      current;
    if (TERMINAL_RUN_STATUSES.has(current.status)) return;
    // Steps that never started will not: say so in their records.
    for (const record of current.steps) {
      if (record.phase === 'main' && record.status === 'pending') {
        current =
          (await ctx.backend.runs.putStep(current.id, skipped(record, 'the run failed', ctx), {
            ifStatus: ['pending'],
          })) ?? current;
      }
    }
  }
  await continueCompensation(ctx, flow, current);
}

/** The steps to compensate, latest finished first. */
function compensationOrder(flow: CompiledFlow, run: RunRecord): StepRecord[] {
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

async function continueCompensation(ctx: EngineContext, flow: CompiledFlow, run: RunRecord): Promise<void> {
  // Wait for steps still running: their effects must be undone too.
  if (run.steps.some((r) => r.phase === 'main' && r.status === 'running')) return;
  const next = compensationOrder(flow, run).find(
    (r) => r.compensation === undefined || r.compensation.status === 'running',
  );
  if (next) {
    if (next.compensation === undefined) {
      await ctx.enqueue([{ kind: 'compensate', run: run.id, step: next.id, attempt: 1 }]);
    }
    return;
  }
  const current =
    (await ctx.backend.runs.patch(run.id, { phase: 'onFailure' }, { onlyIfActive: true })) ?? run;
  await advanceOnFailure(ctx, flow, current);
}

async function advanceOnFailure(ctx: EngineContext, flow: CompiledFlow, start: RunRecord): Promise<void> {
  const run = await releaseReady(ctx, flow.onFailure, start);
  if (!allEnded(flow, run, 'onFailure')) return;
  await end(ctx, run, { status: 'failed' });
}

/** The run's terminal transition; once, whoever gets there first. */
export async function end(
  ctx: EngineContext,
  run: RunRecord,
  result: { status: 'succeeded' | 'failed' | 'cancelled'; output?: unknown; error?: SerializedError },
): Promise<RunRecord | undefined> {
  const ended = await ctx.backend.runs.patch(
    run.id,
    {
      status: result.status,
      phase: 'done',
      endedAt: isoTime(ctx.now()),
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.error ? { error: result.error } : {}),
    },
    { onlyIfActive: true },
  );
  if (ended) {
    ctx.emit({
      type: 'run.ended',
      runId: ended.id,
      flow: ended.flow,
      status: ended.status,
      ...(ended.error ? { error: ended.error } : {}),
    });
  }
  return ended;
}

/**
 * Keeps the run's status honest between `running` (something is being
 * worked on) and `waiting` (everything left is parked: delays, retry waits).
 */
export async function settleStatus(ctx: EngineContext, run: RunRecord): Promise<void> {
  if (TERMINAL_RUN_STATUSES.has(run.status) || run.status === 'queued') return;
  const now = ctx.now();
  const active = run.steps.filter((r) => r.status === 'running');
  if (active.length === 0) return;
  const parked = active.every((r) => r.wakeAt !== undefined && Date.parse(r.wakeAt) > now);
  const status = parked ? 'waiting' : 'running';
  if (status !== run.status) await ctx.backend.runs.patch(run.id, { status }, { onlyIfActive: true });
}

function unknownError(): SerializedError {
  return { name: 'BatonError', code: 'UNKNOWN', message: 'unknown error', retryable: false };
}
