import type { SerializedError } from '@baton/sdk/host';
import type { CompiledStep } from '../compile/compile-flow';
import { stepSucceeded } from '../model/events';
import { isoTime } from '../model/iso-time';
import type { ItemRecord, StepRecord } from '../model/run-record';
import { type CallOutcome, type Decision, NOTHING, type StepTask } from './decision';
import { endStep } from './end-step';
import type { Planning } from './planning';
import { OPEN, stepTask } from './records';
import { afterFailure } from './retry';
import { attemptFailed, rerouted, stepFailed } from './step-events';

/**
 * The rule of `forEach` and its `concurrency`: the list is evaluated once,
 * the first `concurrency` items are queued, and each item that ends queues
 * the one `concurrency` places after it, so at most `concurrency` run at
 * once and every item is queued by exactly one predecessor (or the fan-out).
 * Each item retries and reroutes as a step does; the step ends when every
 * item ended, with the outputs in item order.
 */
export function planFanOut(p: Planning, step: CompiledStep, record: StepRecord): Decision {
  const { run, now } = p;
  const startedAt = record.startedAt ?? isoTime(now);
  const list = p.facts.list;
  if (list === undefined) return { ask: { fact: 'list', step: step.id, run } };
  if (!Array.isArray(list)) {
    const failed: StepRecord = { ...record, status: 'failed', startedAt, error: list, endedAt: isoTime(now) };
    return endStep(p, failed, [stepFailed(p, failed, startedAt)]);
  }
  if (list.length === 0) {
    const done: StepRecord = {
      ...record,
      status: 'succeeded',
      startedAt,
      output: [],
      endedAt: isoTime(now),
      items: { total: 0, succeeded: 0, failed: 0 },
    };
    return endStep(p, done, [stepSucceeded(run, step.id, startedAt, now)]);
  }
  const tasks: StepTask[] = [];
  for (let index = 0; index < Math.min(step.concurrency, list.length); index++) {
    tasks.push(stepTask(run.id, step.id, index));
  }
  const running: StepRecord = {
    ...record,
    status: 'running',
    startedAt,
    items: record.items ?? { total: list.length, succeeded: 0, failed: 0 },
  };
  return { writes: [{ step: running, ifStatus: OPEN, required: true, tasks }] };
}

/** One item's task: call its route with the item in scope, unless the item is past it. */
export function planItemTask(p: Planning, step: CompiledStep, task: StepTask): Decision {
  const items = p.facts.items;
  if (!items) return { ask: { fact: 'items', step: step.id } };
  const item = itemOf(items, task.item!);
  if (item.status === 'succeeded' || item.status === 'failed') return NOTHING;
  if (item.route !== task.route || item.routeAttempts + 1 !== task.attempt) {
    // A duplicate, or a redelivery after a crash: queue what the record expects.
    const ahead =
      item.route > task.route || (item.route === task.route && item.routeAttempts + 1 > task.attempt);
    return ahead
      ? { tasks: [stepTask(p.run.id, step.id, item.index, item.route, item.routeAttempts + 1)] }
      : NOTHING;
  }
  const list = p.facts.list;
  if (list === undefined) return { ask: { fact: 'list', step: step.id, run: p.run } };
  if (!Array.isArray(list)) return NOTHING;
  return { call: { task, item: { value: list[item.index] } } };
}

/** An item's attempt came back: record the item, and retry, reroute or end it. */
export function planItemAttempt(p: Planning, task: StepTask, outcome: CallOutcome): Decision {
  const step = p.flow.byId.get(task.step)!;
  const item = itemOf(p.facts.items ?? [], task.item!);
  const base: ItemRecord = {
    ...item,
    status: 'running',
    attempts: [...item.attempts, outcome.attempt],
    routeAttempts: task.attempt,
  };
  if (outcome.ok) {
    return {
      item: { step: step.id, record: { ...base, status: 'succeeded', output: outcome.output } },
      afterwards: 'item-written',
    };
  }
  const next = afterFailure(step, task.route, task.attempt, outcome.error, p.random);
  const failed = attemptFailed(p, step, task, outcome, next);
  if (next.next === 'retry') {
    return {
      item: { step: step.id, record: base },
      events: [failed],
      tasks: [{ ...task, attempt: task.attempt + 1 }],
      delayMs: next.delayMs,
    };
  }
  if (next.next === 'reroute') {
    return {
      item: { step: step.id, record: { ...base, route: next.route, routeAttempts: 0 } },
      events: [failed, rerouted(p, step, task, next.route)],
      tasks: [stepTask(p.run.id, step.id, item.index, next.route)],
    };
  }
  return {
    item: { step: step.id, record: { ...base, status: 'failed', error: outcome.serialized } },
    events: [failed],
    afterwards: 'item-written',
  };
}

/**
 * An item ended and was written: queue the item `concurrency` places after
 * it; when every item ended, end the step, decided on the run as stored now.
 */
export function planItemWritten(
  p: Planning,
  task: StepTask,
  item: ItemRecord,
  items: readonly ItemRecord[],
): Decision {
  const { run } = p;
  const step = p.flow.byId.get(task.step)!;
  const record = run.steps.find((r) => r.id === step.id);
  const total = record?.items?.total ?? (Array.isArray(p.facts.list) ? p.facts.list.length : items.length);
  const ended = items.filter((i) => i.status === 'succeeded' || i.status === 'failed');
  if (ended.length < total) {
    const next = item.index + step.concurrency;
    return next < total ? { tasks: [stepTask(run.id, step.id, next)] } : NOTHING;
  }
  // The last item to end has no successor to queue: an item is only queued once the one
  // `concurrency` places before it ended.
  if (!p.facts.fresh) return { ask: { fact: 'run' } };
  if (!record || (record.status !== 'running' && record.status !== 'pending')) return NOTHING;

  const sorted = [...ended].sort((a, b) => a.index - b.index);
  const failedItems = sorted.filter((i) => i.status === 'failed');
  const startedAt = record.startedAt ?? isoTime(p.now);
  const summary: StepRecord = {
    ...record,
    startedAt,
    attempts: sorted.flatMap((i) => i.attempts),
    output: sorted.map((i) => (i.status === 'succeeded' ? i.output : null)),
    items: { total, succeeded: total - failedItems.length, failed: failedItems.length },
    servedBy: [
      ...new Set(sorted.filter((i) => i.status === 'succeeded').map((i) => step.routes[i.route]!.action)),
    ].join(', '),
    endedAt: isoTime(p.now),
  };
  if (failedItems.length > 0) {
    const first = failedItems[0]!;
    const error: SerializedError = {
      ...first.error!,
      message: `${failedItems.length} of ${total} items failed; item ${first.index}: ${first.error?.message ?? 'unknown error'}`,
    };
    const failed: StepRecord = { ...summary, status: 'failed', error };
    return endStep(p, failed, [stepFailed(p, failed, startedAt)]);
  }
  const done: StepRecord = { ...summary, status: 'succeeded' };
  return endStep(p, done, [stepSucceeded(run, step.id, startedAt, p.now)]);
}

function itemOf(items: readonly ItemRecord[], index: number): ItemRecord {
  return (
    items.find((i) => i.index === index) ?? {
      index,
      status: 'pending',
      route: 0,
      routeAttempts: 0,
      attempts: [],
    }
  );
}
