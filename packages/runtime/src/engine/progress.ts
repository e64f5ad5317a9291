import { NonRetryableError, type SerializedError, serializeError } from '@baton/sdk';
import type { Task } from '../backend/types';
import type { CompiledFlow, CompiledStep } from './compile-flow';
import type { EngineContext } from './context';
import { ENDED_STEP_STATUSES, type RunRecord, type StepRecord, TERMINAL_RUN_STATUSES } from './run-record';
import { scopeOf, truthy } from './scope';

/**
 * Moves a run forward after something changed: starts the steps whose needs
 * ended, skips those whose `if` is false, and on failure walks through
 * compensation and `onFailure` to the end. Every step here is idempotent:
 * any worker may call it any number of times for the same state.
 */
export async function advance(ctx: EngineContext, flow: CompiledFlow, run: RunRecord): Promise<void> {
  if (TERMINAL_RUN_STATUSES.has(run.status)) return;
  switch (run.phase) {
    case 'main':
      return advanceMain(ctx, flow, run);
    case 'compensating':
      return continueCompensation(ctx, flow, run);
    case 'onFailure':
      return advanceOnFailure(ctx, flow, run);
    case 'done':
      return;
  }
}

/**
 * Starts (or skips) every ready step of a phase and returns the run as it is
 * afterwards. Each start is a compare-and-set from `pending`, so one worker
 * starts a step however many advance the run at once; the record is written
 * before the task is queued, and a step left `running` without its task by a
 * crash in between gets it again here (the queue drops the duplicate when
 * the task exists).
 */
async function releaseReady(
  ctx: EngineContext,
  steps: readonly CompiledStep[],
  start: RunRecord,
): Promise<RunRecord> {
  let run = start;
  const tasks: Task[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    const byId = recordsById(run);
    for (const step of steps) {
      const record = byId.get(step.id);
      if (!record) continue;
      if (
        record.status === 'running' &&
        neverAttempted(record) &&
        !tasks.some((t) => t.kind === 'step' && t.step === step.id)
      ) {
        tasks.push({ kind: 'step', run: run.id, step: step.id, route: 0, attempt: 1 });
        continue;
      }
      if (record.status !== 'pending') continue;
      if (!step.needs.every((need) => ended(byId.get(need)))) continue;
      const skip = await skipReason(step, run);
      const next: StepRecord = skip
        ? skipped(record, skip, ctx)
        : { ...record, status: 'running', startedAt: new Date(ctx.now()).toISOString() };
      const updated = await ctx.backend.runs.putStep(run.id, next, { ifStatus: ['pending'] });
      if (!updated) continue;
      run = updated;
      changed = true;
      if (skip) {
        ctx.emit({ type: 'step.skipped', runId: run.id, flow: run.flow, step: step.id, reason: skip });
      } else {
        tasks.push({ kind: 'step', run: run.id, step: step.id, route: 0, attempt: 1 });
        ctx.emit({
          type: 'step.started',
          runId: run.id,
          flow: run.flow,
          step: step.id,
          ...(step.routes[0] ? { action: step.routes[0].action } : {}),
        });
      }
    }
  }
  if (tasks.length > 0) await ctx.backend.queue.enqueue(tasks);
  return run;
}

/** Started, but its first task has not run yet (or was lost with a crash). */
function neverAttempted(record: StepRecord): boolean {
  return (
    record.attempts.length === 0 &&
    record.route === 0 &&
    record.routeAttempts === 0 &&
    record.wakeAt === undefined &&
    record.items === undefined
  );
}

async function skipReason(step: CompiledStep, run: RunRecord): Promise<string | undefined> {
  if (!step.condition) return undefined;
  let value: unknown;
  try {
    value = await step.condition.evaluate(scopeOf(run));
  } catch (error) {
    // A condition that cannot be evaluated does not run the step; the reason says why.
    return `condition failed: ${(error as Error).message}`;
  }
  return truthy(value) ? undefined : 'condition is false';
}

function skipped(record: StepRecord, reason: string, ctx: EngineContext): StepRecord {
  const now = new Date(ctx.now()).toISOString();
  return { ...record, status: 'skipped', skipReason: reason, endedAt: now };
}

async function advanceMain(ctx: EngineContext, flow: CompiledFlow, start: RunRecord): Promise<void> {
  const failed = firstFailure(flow, start);
  if (failed) {
    await beginFailure(ctx, flow, start, failed.error, failed.id);
    return;
  }
  const run = await releaseReady(ctx, flow.main, start);
  const records = recordsById(run);
  if (!flow.main.every((s) => ended(records.get(s.id)))) {
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

/**
 * A step the run has no record of was added to the flow after the run
 * started: it is not part of this run, so it neither blocks the run's end
 * nor the steps that need it. Runs finish with the steps they started with.
 */
function ended(record: StepRecord | undefined): boolean {
  return record === undefined || ENDED_STEP_STATUSES.has(record.status);
}

/** A main step that failed for good and does not let the run go on. */
function firstFailure(flow: CompiledFlow, run: RunRecord): StepRecord | undefined {
  const records = recordsById(run);
  const step = flow.main.find((s) => records.get(s.id)?.status === 'failed' && !s.continueOnError);
  return step ? records.get(step.id) : undefined;
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
      await ctx.backend.queue.enqueue([{ kind: 'compensate', run: run.id, step: next.id, attempt: 1 }]);
    }
    return;
  }
  const current =
    (await ctx.backend.runs.patch(run.id, { phase: 'onFailure' }, { onlyIfActive: true })) ?? run;
  await advanceOnFailure(ctx, flow, current);
}

async function advanceOnFailure(ctx: EngineContext, flow: CompiledFlow, start: RunRecord): Promise<void> {
  const run = await releaseReady(ctx, flow.onFailure, start);
  const records = recordsById(run);
  if (!flow.onFailure.every((s) => ended(records.get(s.id)))) return;
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
      endedAt: new Date(ctx.now()).toISOString(),
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

export function recordsById(run: RunRecord): Map<string, StepRecord> {
  return new Map(run.steps.map((r) => [r.id, r]));
}

function unknownError(): SerializedError {
  return { name: 'BatonError', code: 'UNKNOWN', message: 'unknown error', retryable: false };
}
