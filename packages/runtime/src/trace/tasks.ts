import { carrierOf, contextOf, spanContextOf } from '@baton/sdk/host';
import { type Attributes, SpanKind } from '@opentelemetry/api';
import type { Backend } from '../backend/types';
import type { RunRecord } from '../model/run-record';
import { type Task, taskId } from '../model/task';
import type { RunTask } from '../plan/decision';
import { messagingAttributes, parentOf, runtimeTracer, within } from './spans';

/** What the task spans need of the executor's context (an `ExecuteContext` is one). */
export interface TaskTraceDeps {
  readonly backend: Pick<Backend, 'name' | 'runs' | 'queue'>;
  /** Kept out of the errors spans record. */
  readonly secrets: readonly string[];
}

/**
 * Handles a run's task inside a `process tasks` CONSUMER span. Its parent
 * is the run's trace context, so the work of a run that lasts days (its
 * retries, delays, waits, compensations) stays in one trace without any
 * span open meanwhile; it links to the span that queued the task, when
 * one did. `handle` gets the run, read once for the span and the task.
 */
export async function traceTask(
  ctx: TaskTraceDeps,
  task: RunTask,
  handle: (run: RunRecord | undefined) => Promise<void>,
): Promise<void> {
  const run = await ctx.backend.runs.get(task.run);
  if (!run) return handle(undefined);
  const attributes: Attributes = {
    ...messagingAttributes(ctx.backend),
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.message.id': taskId(task),
    'baton.task.kind': task.kind,
    'baton.flow': run.flow,
    'baton.run.id': run.id,
  };
  if ('step' in task) attributes['baton.step'] = task.step;
  const queuedBy = spanContextOf(task.trace);
  const span = runtimeTracer().startSpan(
    'process tasks',
    { kind: SpanKind.CONSUMER, attributes, ...(queuedBy ? { links: [{ context: queuedBy }] } : {}) },
    contextOf(run.trace),
  );
  return within(span, () => handle(run), ctx.secrets);
}

/**
 * Queues tasks inside a `publish tasks` PRODUCER span, child of the active
 * span (or, with none, of `run`'s context: a decision made through the
 * API); each task carries the span's context, which the span handling it
 * links to (a retry's wait, a delay, a step queued for another worker).
 */
export function publishTraced(
  ctx: TaskTraceDeps,
  tasks: readonly Task[],
  options?: { delayMs?: number },
  run?: Pick<RunRecord, 'trace'>,
): Promise<void> {
  const [first] = tasks;
  const attributes: Attributes = {
    ...messagingAttributes(ctx.backend),
    'messaging.operation.type': 'publish',
    'messaging.operation.name': first?.kind ?? 'publish',
  };
  if (tasks.length > 1) attributes['messaging.batch.message_count'] = tasks.length;
  if (first && 'run' in first) attributes['baton.run.id'] = first.run;
  if (options?.delayMs) attributes['baton.delay_ms'] = options.delayMs;
  const span = runtimeTracer().startSpan(
    'publish tasks',
    { kind: SpanKind.PRODUCER, attributes },
    run ? parentOf(run) : undefined,
  );
  const trace = carrierOf(span.spanContext());
  const stamped = tasks.map((task) => ({ ...task, trace }));
  return within(span, () => ctx.backend.queue.enqueue(stamped, options), ctx.secrets);
}
