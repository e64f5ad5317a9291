import { isTracing } from '@baton/sdk/host';
import type { RunPatch } from '../backend/types';
import { isoTime } from '../model/iso-time';
import type { CloudEvent, ItemRecord, RunRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { Decision, PlannedWrite, StepTask } from '../plan/decision';
import { publishTraced } from '../trace/tasks';
import type { ExecuteContext } from './context';
import { recordRunEnd } from './record-end';
import { putStepsNow } from './store-now';

/** What applying a decision did. */
export interface Applied {
  /** The run as written (or as it was, when the decision wrote nothing). */
  run: RunRecord;
  /** Every write of the decision was made. */
  allWritten: boolean;
  /** The step this worker runs next, when the decision's `runNext` was taken. */
  runNext: StepTask | undefined;
  /** After the decision's `item` was written: every item of that step. */
  items: ItemRecord[] | undefined;
  /** After the decision's `register`: the event within the lookback that ended the wait at once. */
  matched: CloudEvent | undefined;
}

/**
 * Applies a decision through the backend, in the order the decision
 * describes: patch, writes, item; then, when the patch and the required
 * writes were made, events, tasks, the hand-over and the run's end.
 * Undefined when the decision stops there: the run ended, or a required
 * compare-and-set was refused (another task got there first).
 * `queued` collects every task queued (the caller adds the one handed over, `runNext`).
 */
export async function apply(
  ctx: ExecuteContext,
  run: RunRecord,
  decision: Decision,
  options: { mayHandOver: boolean; queued: Task[] },
): Promise<Applied | undefined> {
  const { backend } = ctx;
  let current = run;
  if (decision.patch) {
    const patched = await backend.runs.patch(run.id, decision.patch, ONLY_IF_ACTIVE);
    if (!patched) return undefined;
    current = patched;
  }

  let allWritten = true;
  let written: readonly PlannedWrite[] = NO_WRITES;
  if (decision.writes && decision.writes.length > 0) {
    // A planned write is a store write (step, ifStatus, required) plus what follows it.
    const result = await writeSteps(ctx, run, decision.writes, decision);
    const made = result && madeOf(decision.writes, result.written);
    if (!made) return undefined;
    written = made;
    allWritten = made === decision.writes;
    // The store answers the run only when a write was made; else it changed under us: read it.
    const after = result.run ?? (await backend.runs.get(run.id));
    if (!after) return undefined;
    current = after;
  }

  if (decision.audit) {
    current = (await backend.runs.patch(run.id, { appendAudit: decision.audit }, ONLY_IF_ACTIVE)) ?? current;
  }
  if (decision.forget) for (const wait of decision.forget) await backend.waits.forget(wait);
  const matched = decision.register
    ? await backend.waits.register(decision.register.wait, {
        sinceMs: decision.register.sinceMs,
        lookbackMs: decision.register.lookbackMs,
      })
    : undefined;

  const items = decision.item
    ? await backend.runs.putItem(run.id, decision.item.step, decision.item.record)
    : undefined;

  emitWritten(ctx, decision, written);

  const runNext = options.mayHandOver && allWritten ? decision.runNext : undefined;
  let now: Task[] | undefined;
  if (decision.tasks && decision.tasks.length > 0) {
    if (!decision.delayMs) now = [...decision.tasks];
    else {
      await publish(ctx, run, decision.tasks, { delayMs: decision.delayMs });
      for (const task of decision.tasks) options.queued.push(task);
    }
  }
  const queuedByWrites = tasksOf(written, runNext);
  if (queuedByWrites) now = now ? [...now, ...queuedByWrites] : queuedByWrites;
  if (now) {
    await publish(ctx, run, now);
    for (const task of now) options.queued.push(task);
  }

  if (decision.end) {
    const { status, output, error } = decision.end;
    // Built without conditional spreads, which take V8's slow path (every run ends here).
    const patch: RunPatch = { status, phase: 'done', endedAt: isoTime(ctx.now()) };
    if (output !== undefined) patch.output = output;
    if (error) patch.error = error;
    const ended = await backend.runs.patch(run.id, patch, ONLY_IF_ACTIVE);
    if (ended) {
      current = ended;
      recordRunEnd(ctx, ended);
      ctx.emit(
        ended.error
          ? { type: 'run.ended', runId: ended.id, flow: ended.flow, status: ended.status, error: ended.error }
          : { type: 'run.ended', runId: ended.id, flow: ended.flow, status: ended.status },
      );
    }
  }
  return { run: current, allWritten, runNext, items, matched };
}

/**
 * A decision that writes step records and waits for nothing else (a
 * step's end with the next step's start: every step's). drive() awaits the
 * store's answer itself and finishes it with afterWrites(): an async frame
 * and a turn less per step than apply().
 */
export function writesOnly(decision: Decision): decision is Decision & { writes: readonly PlannedWrite[] } {
  return (
    decision.writes !== undefined &&
    decision.writes.length > 0 &&
    decision.patch === undefined &&
    decision.audit === undefined &&
    decision.forget === undefined &&
    decision.register === undefined &&
    decision.item === undefined &&
    decision.tasks === undefined &&
    decision.end === undefined
  );
}

/** Writes the decision's step records (each a compare-and-set, see StepWrite): at once when the store can. */
export function writeSteps(
  ctx: ExecuteContext,
  run: RunRecord,
  writes: readonly PlannedWrite[],
  decision: Decision,
): StepsWritten | undefined | Promise<StepsWritten | undefined> {
  return putStepsNow(ctx.backend.runs, run.id, writes, decision.basedOn, decision.status);
}

type StepsWritten = { written: boolean[]; run?: RunRecord };

/**
 * apply() of a writes-only decision, from the store's answer on: at once,
 * unless the run must be read again or a task queued.
 */
export function afterWrites(
  ctx: ExecuteContext,
  run: RunRecord,
  decision: Decision & { writes: readonly PlannedWrite[] },
  result: StepsWritten | undefined,
  options: { mayHandOver: boolean; queued: Task[] },
): Applied | undefined | Promise<Applied | undefined> {
  const written = result && madeOf(decision.writes, result.written);
  if (!written) return undefined;
  const allWritten = written === decision.writes;
  const runNext = options.mayHandOver && allWritten ? decision.runNext : undefined;
  const now = tasksOf(written, runNext);
  if (!result.run || now) return finishWrites(ctx, run, decision, result, written, runNext, now, options);
  emitWritten(ctx, decision, written);
  return { run: result.run, allWritten, runNext, items: undefined, matched: undefined };
}

/** afterWrites() when it must wait: for the run read again, for tasks queued. */
async function finishWrites(
  ctx: ExecuteContext,
  run: RunRecord,
  decision: Decision & { writes: readonly PlannedWrite[] },
  result: StepsWritten,
  written: readonly PlannedWrite[],
  runNext: StepTask | undefined,
  now: Task[] | undefined,
  options: { queued: Task[] },
): Promise<Applied | undefined> {
  const current = result.run ?? (await ctx.backend.runs.get(run.id));
  if (!current) return undefined;
  emitWritten(ctx, decision, written);
  if (now) {
    await publish(ctx, run, now);
    for (const task of now) options.queued.push(task);
  }
  const allWritten = written === decision.writes;
  return { run: current, allWritten, runNext, items: undefined, matched: undefined };
}

/**
 * The writes the store made: the decision's own list when it made every
 * one (no copy on the common path); undefined when it refused a required
 * one, where the decision stops.
 */
function madeOf(
  writes: readonly PlannedWrite[],
  flags: readonly boolean[],
): readonly PlannedWrite[] | undefined {
  let all = true;
  for (let i = 0; i < writes.length; i++) {
    if (flags[i]) continue;
    if (writes[i]!.required) return undefined;
    all = false;
  }
  return all ? writes : writes.filter((_, i) => flags[i]);
}

/** The decision's events, then those of the writes made. */
function emitWritten(ctx: ExecuteContext, decision: Decision, written: readonly PlannedWrite[]): void {
  // Indexed loops: these run twice a step, and an iterator per loop showed in its allocations.
  const { events } = decision;
  if (events) for (let i = 0; i < events.length; i++) ctx.emit(events[i]!);
  for (let i = 0; i < written.length; i++) {
    const own = written[i]!.events;
    if (own) for (let j = 0; j < own.length; j++) ctx.emit(own[j]!);
  }
}

/** The tasks the writes made queue, but the one handed over; undefined when none. */
function tasksOf(written: readonly PlannedWrite[], runNext: StepTask | undefined): Task[] | undefined {
  let tasks: Task[] | undefined;
  for (let i = 0; i < written.length; i++) {
    const queued = written[i]!.tasks;
    if (!queued) continue;
    for (let j = 0; j < queued.length; j++) {
      const task = queued[j]!;
      if (task === runNext) continue;
      tasks ??= [];
      tasks.push(task);
    }
  }
  return tasks;
}

const ONLY_IF_ACTIVE = Object.freeze({ onlyIfActive: true });
const NO_WRITES: readonly PlannedWrite[] = Object.freeze([]);

/** Queues tasks; while tracing, in a PRODUCER span whose context they carry (trace/tasks.ts). */
function publish(
  ctx: ExecuteContext,
  run: RunRecord,
  tasks: readonly Task[],
  options?: { delayMs?: number },
): Promise<void> {
  return isTracing() ? publishTraced(ctx, tasks, options, run) : ctx.backend.queue.enqueue(tasks, options);
}

/** Whether applying the decision would write, queue, emit or end anything. */
export function hasEffects(decision: Decision): boolean {
  return (
    decision.patch !== undefined ||
    decision.writes !== undefined ||
    decision.item !== undefined ||
    decision.events !== undefined ||
    decision.tasks !== undefined ||
    decision.end !== undefined ||
    decision.audit !== undefined ||
    decision.register !== undefined ||
    decision.forget !== undefined
  );
}
