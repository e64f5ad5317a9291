import { isTracing } from '@baton/sdk/host';
import { isoTime } from '../model/iso-time';
import type { CloudEvent, ItemRecord, RunRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { Decision, PlannedWrite, StepTask } from '../plan/decision';
import { publishTraced } from '../trace/tasks';
import type { ExecuteContext } from './context';
import { recordRunEnd } from './record-end';

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
 * `queued` collects every task queued or handed over.
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
  // The writes made: the decision's own list while every one was made (no copy on the common path).
  let written: readonly PlannedWrite[] = NO_WRITES;
  if (decision.writes && decision.writes.length > 0) {
    // A planned write is a store write (step, ifStatus, required) plus what follows it.
    const result = await backend.runs.putSteps(
      run.id,
      decision.writes,
      decision.basedOn ? { basedOn: decision.basedOn } : NO_OPTIONS,
    );
    if (!result) return undefined;
    for (let i = 0; i < decision.writes.length; i++) {
      if (result.written[i]) continue;
      if (decision.writes[i]!.required) return undefined;
      allWritten = false;
    }
    written = allWritten ? decision.writes : decision.writes.filter((_, i) => result.written[i]);
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

  if (decision.events) for (const event of decision.events) ctx.emit(event);
  for (const write of written) if (write.events) for (const event of write.events) ctx.emit(event);

  const runNext = options.mayHandOver && allWritten ? decision.runNext : undefined;
  let now: Task[] | undefined;
  if (decision.tasks && decision.tasks.length > 0) {
    if (!decision.delayMs) now = [...decision.tasks];
    else {
      await publish(ctx, run, decision.tasks, { delayMs: decision.delayMs });
      for (const task of decision.tasks) options.queued.push(task);
    }
  }
  for (const write of written) {
    if (!write.tasks) continue;
    for (const task of write.tasks) {
      if (task === runNext) continue;
      now ??= [];
      now.push(task);
    }
  }
  if (now) {
    await publish(ctx, run, now);
    for (const task of now) options.queued.push(task);
  }
  if (runNext) options.queued.push(runNext);

  if (decision.end) {
    const { status, output, error } = decision.end;
    const ended = await backend.runs.patch(
      run.id,
      {
        status,
        phase: 'done',
        endedAt: isoTime(ctx.now()),
        ...(output !== undefined ? { output } : {}),
        ...(error ? { error } : {}),
      },
      ONLY_IF_ACTIVE,
    );
    if (ended) {
      current = ended;
      recordRunEnd(ctx, ended);
      ctx.emit({
        type: 'run.ended',
        runId: ended.id,
        flow: ended.flow,
        status: ended.status,
        ...(ended.error ? { error: ended.error } : {}),
      });
    }
  }
  return { run: current, allWritten, runNext, items, matched };
}

const NO_OPTIONS = Object.freeze({});
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
