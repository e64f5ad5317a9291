import type { CompiledStep } from '../compile/compile-flow';
import { isoTime } from '../model/iso-time';
import type { RunRecord, StepRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { Ask, Facts, PlannedWrite, StepTask } from './decision';
import { ended, hasTask, neverAttempted, PENDING, recordAt, skipped, stepTask, withRecords } from './records';

/**
 * The rule of `needs` and `if`: a pending step whose needs all ended starts,
 * unless its condition is false (or fails), when it is skipped with the
 * reason. A step left `running` with no attempt and no task queued by this
 * worker lost its task to a crash between the start's write and the queue:
 * it is queued again (the queue drops a copy that exists).
 */
export interface ReadyPlan {
  /** Starts and skips, each a compare-and-set from `pending`, with its event and task. */
  writes: PlannedWrite[];
  /** Tasks of started steps that have none. */
  requeue: StepTask[];
  /** The run as it is once every write is made. */
  after: RunRecord;
  /** No write is a skip: once all are made, nothing else becomes ready. */
  onlyStarts: boolean;
}

/** The ready steps of `steps` (one phase), or the conditions to evaluate first. */
export function planReady(
  steps: readonly CompiledStep[],
  run: RunRecord,
  queued: readonly Task[],
  facts: Facts,
  now: number,
): ReadyPlan | Ask {
  const writes: PlannedWrite[] = [];
  const records: StepRecord[] = [];
  const requeue: StepTask[] = [];
  const unknown: string[] = [];
  let onlyStarts = true;
  for (const step of steps) {
    const record = recordAt(run, step.index, step.id);
    if (!record) continue;
    if (record.status === 'running' && neverAttempted(record) && !hasTask(queued, step.id)) {
      requeue.push(stepTask(run.id, step.id));
      continue;
    }
    if (record.status !== 'pending' || !needsEnded(run, step)) continue;
    if (step.condition && !facts.conditions?.has(step.id)) {
      unknown.push(step.id);
      continue;
    }
    const skip = step.condition ? facts.conditions?.get(step.id) : undefined;
    if (skip !== undefined) {
      onlyStarts = false;
      const next = skipped(record, skip, now);
      records.push(next);
      writes.push({
        step: next,
        ifStatus: PENDING,
        events: [{ type: 'step.skipped', runId: run.id, flow: run.flow, step: step.id, reason: skip }],
      });
      continue;
    }
    const next: StepRecord = { ...record, status: 'running', startedAt: isoTime(now) };
    records.push(next);
    writes.push({
      step: next,
      ifStatus: PENDING,
      events: [
        {
          type: 'step.started',
          runId: run.id,
          flow: run.flow,
          step: step.id,
          ...(step.routes[0] ? { action: step.routes[0].action } : {}),
        },
      ],
      tasks: [stepTask(run.id, step.id)],
    });
  }
  if (unknown.length > 0) return { fact: 'conditions', steps: unknown, run };
  return { writes, requeue, after: withRecords(run, records), onlyStarts };
}

export function isAsk(value: object): value is Ask {
  return 'fact' in value;
}

/** Whether every step `step` needs has ended (see ended()). */
function needsEnded(run: RunRecord, step: CompiledStep): boolean {
  for (let i = 0; i < step.needs.length; i++) {
    if (!ended(recordAt(run, step.needIndexes[i]!, step.needs[i]!))) return false;
  }
  return true;
}
