import { isoTime } from '../model/iso-time';
import { ENDED_STEP_STATUSES, type RunRecord, type StepRecord, type StepStatus } from '../model/run-record';
import type { Task } from '../model/task';
import type { CompiledStep } from './compile-flow';
import type { EngineContext } from './context';
import { scopeOf, truthy } from './scope';

/**
 * Starting the steps whose needs ended: planning the starts (and skips) a
 * run allows, writing them (each a compare-and-set from `pending`) and
 * queueing their tasks. progress.ts decides when; this file how.
 */

/** The compare-and-set of a start or a skip: only from `pending`. */
export const PENDING: readonly StepStatus[] = ['pending'];

/** A start (or, with `skip`, a skip) planned for a ready step. */
export interface PlannedStart {
  step: CompiledStep;
  next: StepRecord;
  skip: string | undefined;
}

/** What releaseReady would do: the ready steps to start or skip, and tasks to queue again. */
export interface Plan {
  planned: PlannedStart[];
  requeue: Task[];
}

/**
 * What releaseReady would do with `run` as it stands: the ready steps to
 * start or skip, and the tasks of steps left `running` without one. At
 * once, without a promise, unless a ready step has a condition to evaluate
 * (planning runs on every step; an async function's frame is most of its
 * cost when nothing needs waiting for).
 */
export function planReady(
  ctx: EngineContext,
  steps: readonly CompiledStep[],
  run: RunRecord,
  queued: readonly Task[],
): Plan | Promise<Plan> {
  return plan(ctx, steps, run, queued) ?? planWithConditions(ctx, steps, run, queued);
}

async function planWithConditions(
  ctx: EngineContext,
  steps: readonly CompiledStep[],
  run: RunRecord,
  queued: readonly Task[],
): Promise<Plan> {
  const reasons = new Map<string, string | undefined>();
  for (const step of steps) {
    if (step.condition && isReady(run, step)) reasons.set(step.id, await skipReason(step, run));
  }
  return plan(ctx, steps, run, queued, reasons)!;
}

/**
 * The plan, given the skip reasons of the ready steps with conditions;
 * undefined when a ready step has a condition and no reasons were given.
 */
function plan(
  ctx: EngineContext,
  steps: readonly CompiledStep[],
  run: RunRecord,
  queued: readonly Task[],
  reasons?: ReadonlyMap<string, string | undefined>,
): Plan | undefined {
  const planned: PlannedStart[] = [];
  const requeue: Task[] = [];
  for (const step of steps) {
    const record = recordAt(run, step.index, step.id);
    if (!record) continue;
    if (record.status === 'running' && neverAttempted(record) && !hasTask(queued, step.id)) {
      requeue.push(stepTask(run.id, step.id));
      continue;
    }
    if (record.status !== 'pending' || !needsEnded(run, step)) continue;
    if (step.condition && !reasons) return undefined;
    const skip = step.condition ? reasons?.get(step.id) : undefined;
    const next: StepRecord = skip
      ? skipped(record, skip, ctx)
      : { ...record, status: 'running', startedAt: isoTime(ctx.now()) };
    planned.push({ step, next, skip });
  }
  return { planned, requeue };
}

/** A pending step whose needs have ended. */
function isReady(run: RunRecord, step: CompiledStep): boolean {
  return recordAt(run, step.index, step.id)?.status === 'pending' && needsEnded(run, step);
}

/** Announces the planned starts that were written and returns their tasks. */
export function announce(
  ctx: EngineContext,
  run: RunRecord,
  planned: readonly PlannedStart[],
  written: readonly boolean[],
): Task[] {
  const tasks: Task[] = [];
  planned.forEach(({ step, skip }, i) => {
    if (!written[i]) return;
    if (skip) {
      ctx.emit({ type: 'step.skipped', runId: run.id, flow: run.flow, step: step.id, reason: skip });
      return;
    }
    tasks.push(stepTask(run.id, step.id));
    ctx.emit({
      type: 'step.started',
      runId: run.id,
      flow: run.flow,
      step: step.id,
      ...(step.routes[0] ? { action: step.routes[0].action } : {}),
    });
  });
  return tasks;
}

/**
 * Starts (or skips) every ready step of a phase and returns the run as it is
 * afterwards. Each start is a compare-and-set from `pending`, so one worker
 * starts a step however many advance the run at once; the starts found in
 * one pass are written at once. The record is written before the task is
 * queued, and a step left `running` without its task by a crash in between
 * gets it again here (the queue drops the duplicate when the task exists).
 * `queued`: tasks the caller queued already.
 */
export async function releaseReady(
  ctx: EngineContext,
  steps: readonly CompiledStep[],
  start: RunRecord,
  queued: readonly Task[] = [],
): Promise<RunRecord> {
  let run = start;
  const started: Task[] = [];
  const requeued: Task[] = [];
  for (;;) {
    const planning = planReady(ctx, steps, run, [...queued, ...started, ...requeued]);
    const { planned, requeue } = planning instanceof Promise ? await planning : planning;
    requeued.push(...requeue);
    if (planned.length === 0) break;
    const result = await ctx.backend.runs.putSteps(
      run.id,
      planned.map((p) => ({ step: p.next, ifStatus: PENDING })),
    );
    if (!result?.run) break;
    run = result.run;
    started.push(...announce(ctx, run, planned, result.written));
  }
  // Only a step this call started may be handed over: a requeued one may have its task in hand elsewhere.
  if (requeued.length > 0) await ctx.enqueue(requeued);
  if (started.length > 0) await ctx.enqueue(started, { startedIn: run });
  return run;
}

function stepTask(run: string, step: string): Task {
  return { kind: 'step', run, step, route: 0, attempt: 1 };
}

function hasTask(tasks: readonly Task[], step: string): boolean {
  return tasks.some((t) => t.kind === 'step' && t.step === step);
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

/** A step's record once skipped, saying why. */
export function skipped(record: StepRecord, reason: string, ctx: EngineContext): StepRecord {
  const now = isoTime(ctx.now());
  return { ...record, status: 'skipped', skipReason: reason, endedAt: now };
}

/**
 * A step the run has no record of was added to the flow after the run
 * started: it is not part of this run, so it neither blocks the run's end
 * nor the steps that need it. Runs finish with the steps they started with.
 */
export function ended(record: StepRecord | undefined): boolean {
  return record === undefined || ENDED_STEP_STATUSES.has(record.status);
}

/** Whether every step `step` needs has ended (see ended()). */
function needsEnded(run: RunRecord, step: CompiledStep): boolean {
  for (let i = 0; i < step.needs.length; i++) {
    if (!ended(recordAt(run, step.needIndexes[i]!, step.needs[i]!))) return false;
  }
  return true;
}

/**
 * A run's record of a step: at the step's place in the flow, as runs are
 * made, else searched for (a run started before the flow changed).
 */
export function recordAt(run: RunRecord, index: number, id: string): StepRecord | undefined {
  const record = run.steps[index];
  return record?.id === id ? record : run.steps.find((r) => r.id === id);
}
