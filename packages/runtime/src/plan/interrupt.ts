import type { CompiledStep } from '../compile/compile-flow';
import { isoTime } from '../model/iso-time';
import type { ItemRecord, StepRecord } from '../model/run-record';
import { type WaitEntry, waitEntryOf } from '../model/wait';
import { type Decision, NOTHING, type PlannedWrite, type StepTask } from './decision';
import { endStep } from './end-step';
import type { Planning } from './planning';
import { runError } from './run-error';
import { stepFailed } from './step-events';

/**
 * A parked step's wake-up this far ahead is surely not under way: the run's
 * failure ends the step at once rather than waiting for it. Nearer, its task
 * may be starting its call; the task ends it instead (planInterrupted).
 */
const SURELY_PARKED_MS = 1000;

/**
 * The rule of a failed run's parked steps: once the run turned to failure, a
 * main step that waits (for its delay, a retry, or forEach items not yet run)
 * is not tried again. It fails with STEP_INTERRUPTED, so the failure path
 * (compensation, onFailure, the end) is not held up by it. A call already
 * under way is let end: only the step's expected next task interrupts it.
 */
export function planInterrupted(
  p: Planning,
  step: CompiledStep,
  record: StepRecord,
  task: StepTask,
): Decision {
  if (step.forEach && task.item !== undefined) return interruptItem(p, step, task);
  // A fanned-out forEach step ends with its items; an action's task behind its record is a duplicate.
  if (step.forEach && record.items !== undefined) return NOTHING;
  if (step.kind === 'action' && !step.forEach) {
    if (record.route !== task.route || record.routeAttempts + 1 !== task.attempt) return NOTHING;
  }
  const failed = interrupted(p, record);
  return endStep(p, failed, [stepFailed(p, failed, failed.startedAt ?? failed.endedAt!)]);
}

/**
 * Interrupts written with the run's failure: of the main steps parked well
 * into the future, and of those waiting for an event or a decision (whose
 * waits are then dropped from the index: `forget`).
 */
export function interruptParked(p: Planning): { writes: PlannedWrite[]; forget: WaitEntry[] } {
  const writes: PlannedWrite[] = [];
  const forget: WaitEntry[] = [];
  for (const record of p.run.steps) {
    if (record.phase !== 'main') continue;
    const waiting = record.status === 'waiting';
    const parked =
      record.status === 'running' &&
      record.wakeAt !== undefined &&
      Date.parse(record.wakeAt) > p.now + SURELY_PARKED_MS;
    if (!waiting && !parked) continue;
    const failed = interrupted(p, record);
    writes.push({
      step: failed,
      ifStatus: [record.status],
      events: [stepFailed(p, failed, failed.startedAt ?? failed.endedAt!)],
    });
    if (record.wait) {
      forget.push(waitEntryOf(p.run, record.id, record.wait));
    }
  }
  return { writes, forget };
}

function interruptItem(p: Planning, step: CompiledStep, task: StepTask): Decision {
  const items = p.facts.items;
  if (!items) return { ask: { fact: 'items', step: step.id } };
  const index = task.item!;
  const item: ItemRecord = items.find((i) => i.index === index) ?? {
    index,
    status: 'pending',
    route: 0,
    routeAttempts: 0,
    attempts: [],
  };
  if (item.status === 'succeeded' || item.status === 'failed') return NOTHING;
  if (item.route !== task.route || item.routeAttempts + 1 !== task.attempt) return NOTHING;
  const error = runError(
    'STEP_INTERRUPTED',
    `Item ${index} of step "${step.id}" was not run: the run failed first`,
    p.secrets,
  );
  return {
    item: { step: step.id, record: { ...item, status: 'failed', error } },
    afterwards: 'item-written',
  };
}

function interrupted(p: Planning, record: StepRecord): StepRecord {
  const { wakeAt: _parked, throttle: _waited, ...rest } = record;
  const error = runError(
    'STEP_INTERRUPTED',
    `Step "${record.id}" was waiting when the run failed; it was not tried again`,
    p.secrets,
  );
  return { ...rest, status: 'failed', error, endedAt: isoTime(p.now) };
}
