import { NonRetryableError, type SerializedError, serializeError } from '@baton/sdk';
import { stepSucceeded } from '../model/events';
import { idempotencyKey } from '../model/idempotency';
import { isoTime } from '../model/iso-time';
import type { ItemRecord, RunRecord, StepRecord } from '../model/run-record';
import type { Task } from '../model/task';
import { callRoute } from './call-route';
import type { CompiledFlow, CompiledStep } from './compile-flow';
import type { EngineContext } from './context';
import { decide } from './decide';
import { advance } from './progress';
import { scopeOf } from './scope';
import { failStep, OPEN } from './step-task';

type StepTask = Extract<Task, { kind: 'step' }>;

/**
 * forEach: evaluates the list, then queues the first `concurrency` items.
 * Each item that ends queues the one `concurrency` places after it, so at
 * most `concurrency` run at once and every item is queued exactly by one
 * predecessor (or by this fan-out).
 */
export async function startItems(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  step: CompiledStep,
  record: StepRecord,
): Promise<void> {
  const startedAt = record.startedAt ?? isoTime(ctx.now());
  const list = await itemsOf(step, run);
  if (!Array.isArray(list)) {
    await failStep(ctx, flow, run.id, { ...record, startedAt, error: list }, startedAt);
    return;
  }
  if (list.length === 0) {
    const done: StepRecord = {
      ...record,
      status: 'succeeded',
      startedAt,
      output: [],
      endedAt: isoTime(ctx.now()),
      items: { total: 0, succeeded: 0, failed: 0 },
    };
    const updated = await ctx.backend.runs.putStep(run.id, done, { ifStatus: OPEN });
    if (updated) await advance(ctx, flow, updated);
    return;
  }
  const first = Math.min(step.concurrency, list.length);
  const tasks: Task[] = [];
  for (let index = 0; index < first; index++) tasks.push(itemTask(run.id, step.id, index));
  const updated = await ctx.backend.runs.putStep(
    run.id,
    {
      ...record,
      status: 'running',
      startedAt,
      items: record.items ?? { total: list.length, succeeded: 0, failed: 0 },
    },
    { ifStatus: OPEN },
  );
  if (updated) await ctx.enqueue(tasks);
}

/** One attempt for one item. */
export async function runItem(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  step: CompiledStep,
  task: StepTask,
): Promise<void> {
  const index = task.item!;
  const items = await ctx.backend.runs.items(run.id, step.id);
  const item: ItemRecord = items.find((i) => i.index === index) ?? {
    index,
    status: 'pending',
    route: 0,
    routeAttempts: 0,
    attempts: [],
  };
  if (item.status === 'succeeded' || item.status === 'failed') return;
  if (item.route !== task.route || item.routeAttempts + 1 !== task.attempt) {
    // A duplicate, or a redelivery after a crash: queue what the record expects.
    const ahead =
      item.route > task.route || (item.route === task.route && item.routeAttempts + 1 > task.attempt);
    if (ahead) await ctx.enqueue([itemTask(run.id, step.id, index, item.route, item.routeAttempts + 1)]);
    return;
  }

  const list = await itemsOf(step, run);
  if (!Array.isArray(list)) return;
  const route = step.routes[task.route]!;
  const outcome = await callRoute(ctx, {
    runId: run.id,
    flow: run.flow,
    step: step.id,
    route,
    routeIndex: task.route,
    attempt: task.attempt,
    item: index,
    idempotencyKey: idempotencyKey(run.id, step.id, task.route, index),
    scope: scopeOf(run, { item: list[index], index }),
  });
  const base: ItemRecord = {
    ...item,
    status: 'running',
    attempts: [...item.attempts, outcome.attempt],
    routeAttempts: task.attempt,
  };

  if (outcome.ok) {
    await itemEnded(
      ctx,
      flow,
      run,
      step,
      { ...base, status: 'succeeded', output: outcome.output },
      list.length,
    );
    return;
  }
  const decision = decide(step, task.route, task.attempt, outcome.error);
  ctx.emit({
    type: 'step.attempt-failed',
    runId: run.id,
    flow: run.flow,
    step: step.id,
    action: route.action,
    attempt: task.attempt,
    item: index,
    error: outcome.serialized,
    ...(decision.next === 'retry' ? { retryInMs: decision.delayMs } : {}),
  });
  if (decision.next === 'retry') {
    await ctx.backend.runs.putItem(run.id, step.id, base);
    await ctx.enqueue([{ ...task, attempt: task.attempt + 1 }], { delayMs: decision.delayMs });
    return;
  }
  if (decision.next === 'reroute') {
    await ctx.backend.runs.putItem(run.id, step.id, { ...base, route: decision.route, routeAttempts: 0 });
    await ctx.enqueue([itemTask(run.id, step.id, index, decision.route)]);
    ctx.emit({
      type: 'step.rerouted',
      runId: run.id,
      flow: run.flow,
      step: step.id,
      from: route.action,
      to: step.routes[decision.route]!.action,
      item: index,
    });
    return;
  }
  await itemEnded(
    ctx,
    flow,
    run,
    step,
    { ...base, status: 'failed', error: outcome.serialized },
    list.length,
  );
}

async function itemEnded(
  ctx: EngineContext,
  flow: CompiledFlow,
  run: RunRecord,
  step: CompiledStep,
  item: ItemRecord,
  total: number,
): Promise<void> {
  const items = await ctx.backend.runs.putItem(run.id, step.id, item);
  const next = item.index + step.concurrency;
  if (next < total) await ctx.enqueue([itemTask(run.id, step.id, next)]);
  const ended = items.filter((i) => i.status === 'succeeded' || i.status === 'failed');
  if (ended.length < total) return;

  // Every item ended: the step ends, with outputs in item order.
  const fresh = (await ctx.backend.runs.get(run.id)) ?? run;
  const record = fresh.steps.find((r) => r.id === step.id)!;
  if (record.status !== 'running' && record.status !== 'pending') return;
  const sorted = [...ended].sort((a, b) => a.index - b.index);
  const failed = sorted.filter((i) => i.status === 'failed');
  const startedAt = record.startedAt ?? isoTime(ctx.now());
  const summary: StepRecord = {
    ...record,
    startedAt,
    attempts: sorted.flatMap((i) => i.attempts),
    output: sorted.map((i) => (i.status === 'succeeded' ? i.output : null)),
    items: { total, succeeded: total - failed.length, failed: failed.length },
    servedBy: [
      ...new Set(sorted.filter((i) => i.status === 'succeeded').map((i) => step.routes[i.route]!.action)),
    ].join(', '),
  };
  if (failed.length > 0) {
    const first = failed[0]!;
    const error: SerializedError = {
      ...first.error!,
      message: `${failed.length} of ${total} items failed; item ${first.index}: ${first.error?.message ?? 'unknown error'}`,
    };
    await failStep(ctx, flow, run.id, { ...summary, error }, startedAt);
    return;
  }
  const now = ctx.now();
  const updated = await ctx.backend.runs.putStep(
    run.id,
    { ...summary, status: 'succeeded', endedAt: isoTime(now) },
    { ifStatus: OPEN },
  );
  if (!updated) return;
  ctx.emit(stepSucceeded(run, step.id, startedAt, now));
  if (updated) await advance(ctx, flow, updated);
}

function itemTask(run: string, step: string, item: number, route = 0, attempt = 1): Task {
  return { kind: 'step', run, step, item, route, attempt };
}

/** The forEach list, or the error that says why there is none. */
async function itemsOf(step: CompiledStep, run: RunRecord): Promise<unknown[] | SerializedError> {
  try {
    const value = await step.forEach!.evaluate(scopeOf(run));
    if (Array.isArray(value)) return value;
    // JSONata collapses a one-item result to the item itself: a single value is a list of one.
    return value === undefined || value === null ? [] : [value];
  } catch (error) {
    return serializeError(
      new NonRetryableError(
        `Step "${step.id}": forEach could not be evaluated: ${(error as Error).message}`,
        {
          code: 'FOREACH_FAILED',
        },
      ),
    );
  }
}
