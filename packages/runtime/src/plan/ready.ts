import type { CompiledStep } from '../compile/compile-flow';
import type { EngineEvent } from '../model/events';
import { isoTime } from '../model/iso-time';
import type { RunRecord, StepRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { Ask, Facts, PlannedWrite, StepTask } from './decision';
import {
  ended,
  hasTask,
  neverAttempted,
  PENDING,
  recordAt,
  skipped,
  startedRecord,
  stepTask,
  withRecords,
} from './records';

/**
 * The rule of `needs` and `if`: a pending step whose needs all ended starts,
 * unless its condition is false (or fails), when it is skipped with the
 * reason. A step left `running` with no attempt and no task queued by this
 * worker lost its task to a crash between the start's write and the queue:
 * it is queued again (the queue drops a copy that exists).
 */
export interface ReadyPlan {
  /** Starts and skips, each a compare-and-set from `pending`, with its event and task. */
  writes: readonly PlannedWrite[];
  /** Tasks of started steps that have none. */
  requeue: readonly StepTask[];
  /** The run planned on; with `records` in place of its own, the run as it is once every write is made. */
  run: RunRecord;
  /** The records in place of the run's own: the one planReady was given over the run, then the writes'. */
  records: readonly StepRecord[];
  /** No write is a skip: once all are made, nothing else becomes ready. */
  onlyStarts: boolean;
}

/**
 * The ready steps of `steps` (one phase), or the conditions to evaluate
 * first. `overlay`: a record planned in place of the run's own of its step
 * (a step's end): the run is read as if it held it, without a copy of the
 * run made for it on every step.
 */
export function planReady(
  steps: readonly CompiledStep[],
  run: RunRecord,
  queued: readonly Task[],
  facts: Facts,
  now: number,
  overlay?: StepRecord,
): ReadyPlan | Ask {
  // Made on their first item: an array pushed to from empty takes room for 16 (every step plans).
  let writes: PlannedWrite[] | undefined;
  let records: StepRecord[] | undefined;
  let requeue: StepTask[] | undefined;
  let unknown: string[] | undefined;
  let onlyStarts = true;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const record = recordIn(run, step.index, step.id, overlay);
    if (!record) continue;
    if (record.status === 'running' && neverAttempted(record) && !hasTask(queued, step.id)) {
      requeue = append(requeue, stepTask(run.id, step.id));
      continue;
    }
    if (record.status !== 'pending' || !needsEnded(run, step, overlay)) continue;
    if (step.condition && !facts.conditions?.has(step.id)) {
      unknown = append(unknown, step.id);
      continue;
    }
    const skip = step.condition ? facts.conditions?.get(step.id) : undefined;
    if (skip !== undefined) {
      onlyStarts = false;
      const next = skipped(record, skip, now);
      records = append(records, next);
      writes = append(writes, {
        step: next,
        ifStatus: PENDING,
        events: [{ type: 'step.skipped', runId: run.id, flow: run.flow, step: step.id, reason: skip }],
      });
      continue;
    }
    const next = startedRecord(record, isoTime(now));
    records = append(records, next);
    // Built without a spread: a conditional spread in a literal takes V8's slow path, on every step.
    const started: StepStarted = { type: 'step.started', runId: run.id, flow: run.flow, step: step.id };
    if (step.routes[0]) started.action = step.routes[0].action;
    writes = append(writes, {
      step: next,
      ifStatus: PENDING,
      events: [started],
      tasks: [stepTask(run.id, step.id)],
    });
  }
  // Conditions are evaluated on the run as planned: with the overlaid record.
  if (unknown)
    return { fact: 'conditions', steps: unknown, run: overlay ? withRecords(run, [overlay]) : run };
  const placed = overlay ? (records ? [overlay, ...records] : [overlay]) : (records ?? NONE);
  return { writes: writes ?? NONE, requeue: requeue ?? NONE, run, records: placed, onlyStarts };
}

/** The run's record of a step, or `overlay` when it is that step's. */
function recordIn(
  run: RunRecord,
  index: number,
  id: string,
  overlay: StepRecord | undefined,
): StepRecord | undefined {
  return overlay !== undefined && overlay.id === id ? overlay : recordAt(run, index, id);
}

const NONE: readonly never[] = Object.freeze([]);

/** `list` with `item` at its end: a list of one made as such. */
function append<T>(list: T[] | undefined, item: T): T[] {
  if (!list) return [item];
  list.push(item);
  return list;
}

type StepStarted = Extract<EngineEvent, { type: 'step.started' }>;

/**
 * True when `step` is the only running step of the main phase once the
 * plan's writes are made: `runsAlone` on the run with the plan's records,
 * without making that run.
 */
export function runsAloneAfter(ready: ReadyPlan, step: string): boolean {
  const { run, records } = ready;
  if (run.phase !== 'main') return false;
  const { steps } = run;
  for (let i = 0; i < steps.length; i++) {
    const stored = steps[i]!;
    let record = stored;
    for (let j = 0; j < records.length; j++) {
      const written = records[j]!;
      if (written.id !== stored.id) continue;
      record = written;
      break;
    }
    if (record.status === 'running' && record.id !== step) return false;
  }
  return true;
}

export function isAsk(value: object): value is Ask {
  return 'fact' in value;
}

/** Whether every step `step` needs has ended (see ended()). */
function needsEnded(run: RunRecord, step: CompiledStep, overlay: StepRecord | undefined): boolean {
  for (let i = 0; i < step.needs.length; i++) {
    if (!ended(recordIn(run, step.needIndexes[i]!, step.needs[i]!, overlay))) return false;
  }
  return true;
}
