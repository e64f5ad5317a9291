import { NonRetryableError, serializeError } from '@baton/sdk';
import { stepSucceeded } from '../model/events';
import { idempotencyKey } from '../model/idempotency';
import { isoTime } from '../model/iso-time';
import { ENDED_STEP_STATUSES, type RunRecord, type StepRecord, type StepStatus } from '../model/run-record';
import type { Task } from '../model/task';
import { callRoute } from './call-route';
import type { CompiledFlow, CompiledStep } from './compile-flow';
import type { EngineContext } from './context';
import { decide } from './decide';
import { runItem, startItems } from './item-task';
import { advance, endStep, settleStatus } from './progress';
import { EMPTY_SCOPE, scopeOf } from './scope';

type StepTask = Extract<Task, { kind: 'step' }>;

/** Statuses a step's own task may still write over. */
export const OPEN: readonly StepStatus[] = ['pending', 'running'];

/**
 * Runs one attempt of a step (or wakes a delay, or fans a forEach out) and
 * records what happened. A task that does not match the step's recorded
 * progress is a duplicate from a crash or a race, and does nothing.
 */
export async function runStepTask(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  task: StepTask,
): Promise<void> {
  const step = flow.byId.get(task.step);
  const record = run.steps.find((r) => r.id === task.step);
  if (!step || !record) return;
  if (ENDED_STEP_STATUSES.has(record.status)) {
    await advance(ctx, flow, run);
    return;
  }
  if (step.phase === 'main' && run.phase !== 'main') return;
  if (run.status === 'waiting')
    await ctx.backend.runs.patch(run.id, { status: 'running' }, { onlyIfActive: true });

  if (step.kind === 'delay') return runDelay(ctx, flow, run, step, record, task);
  if (step.forEach) {
    return task.item === undefined
      ? startItems(ctx, flow, run, step, record)
      : runItem(ctx, flow, run, step, task);
  }
  if (record.route !== task.route || record.routeAttempts + 1 !== task.attempt) {
    await heal(ctx, run.id, record, task);
    return;
  }
  await runAttempt(ctx, flow, run, step, record, task);
}

/**
 * A task that does not match the step's record is a duplicate, or the
 * redelivery of a task whose worker died after writing the record but
 * before queueing what comes next. Queue what the record expects; the queue
 * drops it when it exists already.
 */
async function heal(ctx: EngineContext, runId: string, record: StepRecord, task: StepTask): Promise<void> {
  const ahead =
    record.route > task.route || (record.route === task.route && record.routeAttempts + 1 > task.attempt);
  if (!ahead) return;
  const wakeAt = record.wakeAt ? Date.parse(record.wakeAt) - ctx.now() : 0;
  await ctx.enqueue(
    [{ kind: 'step', run: runId, step: record.id, route: record.route, attempt: record.routeAttempts + 1 }],
    wakeAt > 0 ? { delayMs: wakeAt } : {},
  );
}

async function runAttempt(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  step: CompiledStep,
  record: StepRecord,
  task: StepTask,
): Promise<void> {
  const route = step.routes[task.route]!;
  const startedAt = record.startedAt ?? isoTime(ctx.now());
  const outcome = await callRoute(ctx, {
    runId: run.id,
    flow: run.flow,
    step: step.id,
    route,
    routeIndex: task.route,
    attempt: task.attempt,
    idempotencyKey: idempotencyKey(run.id, step.id, task.route),
    // A static input reads nothing from the run: skip building the scope.
    scope: route.input.isStatic ? EMPTY_SCOPE : scopeOf(run),
  });
  // Without wakeAt: left out rather than deleted (delete makes V8 slow the object down), and
  // only copied out when there is one (a retry that was parked), which is rare.
  const open = record.wakeAt === undefined ? record : withoutWakeAt(record);
  const attempts = [...record.attempts, outcome.attempt];
  const input = record.input === undefined ? outcome.input : record.input;
  const now = ctx.now();

  if (outcome.ok) {
    // The path of every successful step: the record is built field by field, not spread from
    // the running one, which reaches here in several shapes (V8 copies those the slow way).
    // A running action step's record holds no other field (see model/run-record.ts).
    const done: StepRecord = {
      id: record.id,
      phase: record.phase,
      status: 'succeeded',
      attempts,
      route: record.route,
      routeAttempts: task.attempt,
      startedAt,
      endedAt: isoTime(now),
      output: outcome.output,
      servedBy: route.action,
    };
    if (input !== undefined) done.input = input;
    await endStep(ctx, flow, run, {
      record: done,
      ifStatus: OPEN,
      onWritten: () => ctx.emit(stepSucceeded(run, step.id, startedAt, now, route.action)),
    });
    return;
  }

  const base: StepRecord = {
    ...open,
    status: 'running',
    startedAt,
    attempts,
    routeAttempts: task.attempt,
    ...(input !== undefined ? { input } : {}),
  };
  const decision = decide(step, task.route, task.attempt, outcome.error);
  ctx.emit({
    type: 'step.attempt-failed',
    runId: run.id,
    flow: run.flow,
    step: step.id,
    action: route.action,
    attempt: task.attempt,
    error: outcome.serialized,
    ...(decision.next === 'retry' ? { retryInMs: decision.delayMs } : {}),
  });
  if (decision.next === 'retry') {
    // Record first, queue second: see heal().
    const parked: StepRecord = { ...base, wakeAt: new Date(now + decision.delayMs).toISOString() };
    const updated = await ctx.backend.runs.putStep(run.id, parked, { ifStatus: OPEN });
    if (!updated) return;
    await ctx.enqueue([{ ...task, attempt: task.attempt + 1 }], { delayMs: decision.delayMs });
    await settleStatus(ctx, updated);
    return;
  }
  if (decision.next === 'reroute') {
    const rerouted: StepRecord = { ...base, route: decision.route, routeAttempts: 0 };
    if (!(await ctx.backend.runs.putStep(run.id, rerouted, { ifStatus: OPEN }))) return;
    await ctx.enqueue([{ kind: 'step', run: run.id, step: step.id, route: decision.route, attempt: 1 }]);
    ctx.emit({
      type: 'step.rerouted',
      runId: run.id,
      flow: run.flow,
      step: step.id,
      from: route.action,
      to: step.routes[decision.route]!.action,
    });
    return;
  }
  await failStep(ctx, flow, run.id, { ...base, error: outcome.serialized }, startedAt);
}

/** Records a step's final failure and lets the run react (continue, or fail and compensate). */
export async function failStep(
  ctx: EngineContext,
  flow: CompiledFlow,
  runId: string,
  record: StepRecord,
  startedAt: string,
): Promise<void> {
  const now = ctx.now();
  const failed: StepRecord = { ...record, status: 'failed', endedAt: isoTime(now) };
  delete failed.wakeAt;
  const updated = await ctx.backend.runs.putStep(runId, failed, { ifStatus: OPEN });
  ctx.emit({
    type: 'step.ended',
    runId,
    flow: flow.id,
    step: record.id,
    status: 'failed',
    durationMs: now - Date.parse(startedAt),
    ...(record.error ? { error: record.error } : {}),
  });
  // advance() sees the failed step and, unless continueOnError, turns to compensation.
  if (updated) await advance(ctx, flow, updated);
}

async function runDelay(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  step: CompiledStep,
  record: StepRecord,
  task: StepTask,
): Promise<void> {
  const now = ctx.now();
  const startedAt = record.startedAt ?? isoTime(now);
  let wakeAt = record.wakeAt ? Date.parse(record.wakeAt) : undefined;
  if (wakeAt === undefined) {
    if (step.delayMs !== undefined) {
      wakeAt = now + step.delayMs;
    } else {
      let until: unknown;
      try {
        until = await step.delayUntil!.evaluate(scopeOf(run));
      } catch (error) {
        until = error;
      }
      wakeAt =
        typeof until === 'string' || typeof until === 'number' ? new Date(until).getTime() : Number.NaN;
      if (Number.isNaN(wakeAt)) {
        const error = new NonRetryableError(
          `Step "${step.id}": delay.until did not give a date (${until instanceof Error ? until.message : JSON.stringify(until)})`,
          { code: 'DELAY_UNTIL_INVALID' },
        );
        await failStep(ctx, flow, run.id, { ...record, startedAt, error: serializeError(error) }, startedAt);
        return;
      }
    }
  }
  // Tolerate a timer that fires a few milliseconds early.
  if (wakeAt - now > 5) {
    const parked: StepRecord = {
      ...record,
      status: 'running',
      startedAt,
      wakeAt: new Date(wakeAt).toISOString(),
    };
    const updated = await ctx.backend.runs.putStep(run.id, parked, { ifStatus: OPEN });
    if (!updated) return;
    await ctx.enqueue([{ ...task, attempt: task.attempt + 1 }], { delayMs: wakeAt - now });
    ctx.emit({ type: 'step.waiting', runId: run.id, flow: run.flow, step: step.id, untilMs: wakeAt - now });
    if (updated) await settleStatus(ctx, updated);
    return;
  }
  const done: StepRecord = {
    ...record,
    status: 'succeeded',
    startedAt,
    output: { waitedUntil: new Date(wakeAt).toISOString() },
    endedAt: isoTime(now),
  };
  delete done.wakeAt;
  const updated = await ctx.backend.runs.putStep(run.id, done, { ifStatus: OPEN });
  if (!updated) return;
  ctx.emit(stepSucceeded(run, step.id, startedAt, now));
  await advance(ctx, flow, updated);
}

function withoutWakeAt(record: StepRecord): StepRecord {
  const { wakeAt: _parked, ...rest } = record;
  return rest;
}
