import { isoTime } from '../model/iso-time';
import {
  ENDED_STEP_STATUSES,
  type RunRecord,
  type StepRecord,
  type StepStatus,
  withSteps,
} from '../model/run-record';
import type { Task } from '../model/task';
import type { StepTask } from './decision';

/** Statuses a step's own task may still write over: an ended step is never written again. */
export const OPEN: readonly StepStatus[] = ['pending', 'running', 'waiting'];

/** The compare-and-set of a start or a skip: only from `pending`. */
export const PENDING: readonly StepStatus[] = ['pending'];

/**
 * A run's record of a step: at the step's place in the flow, as runs are
 * made, else searched for (a run started before the flow changed).
 */
export function recordAt(run: RunRecord, index: number, id: string): StepRecord | undefined {
  const record = run.steps[index];
  return record?.id === id ? record : run.steps.find((r) => r.id === id);
}

/**
 * A step the run has no record of was added to the flow after the run
 * started: it is not part of this run, so it neither blocks the run's end
 * nor the steps that need it. Runs finish with the steps they started with.
 */
export function ended(record: StepRecord | undefined): boolean {
  return record === undefined || ENDED_STEP_STATUSES.has(record.status);
}

/** A step's record once skipped, saying why. */
export function skipped(record: StepRecord, reason: string, now: number): StepRecord {
  return { ...record, status: 'skipped', skipReason: reason, endedAt: isoTime(now) };
}

/**
 * A pending step's record once started at `startedAt`: `{ ...record, status:
 * 'running', startedAt }` built field by field. Every step starts so, and a
 * spread that adds fields takes V8's slow path, on records of many shapes.
 */
export function startedRecord(record: StepRecord, startedAt: string): StepRecord {
  const next: StepRecord = {
    id: record.id,
    phase: record.phase,
    status: 'running',
    attempts: record.attempts,
    route: record.route,
    routeAttempts: record.routeAttempts,
    startedAt,
  };
  // A pending record holds nothing more as runs are made (see newRun); whatever else it holds stays.
  if (record.input !== undefined) next.input = record.input;
  if (record.output !== undefined) next.output = record.output;
  if (record.error !== undefined) next.error = record.error;
  if (record.servedBy !== undefined) next.servedBy = record.servedBy;
  if (record.wakeAt !== undefined) next.wakeAt = record.wakeAt;
  if (record.endedAt !== undefined) next.endedAt = record.endedAt;
  if (record.skipReason !== undefined) next.skipReason = record.skipReason;
  if (record.items !== undefined) next.items = record.items;
  if (record.reused !== undefined) next.reused = record.reused;
  if (record.compensation !== undefined) next.compensation = record.compensation;
  if (record.wait !== undefined) next.wait = record.wait;
  if (record.approval !== undefined) next.approval = record.approval;
  if (record.throttle !== undefined) next.throttle = record.throttle;
  return next;
}

/** The run with `records` in place of its records of the same steps. */
export function withRecords(run: RunRecord, records: readonly StepRecord[]): RunRecord {
  if (records.length === 0) return run;
  const steps = run.steps.slice();
  for (let i = 0; i < steps.length; i++) {
    const id = steps[i]!.id;
    for (let j = 0; j < records.length; j++) {
      const record = records[j]!;
      if (record.id !== id) continue;
      steps[i] = record;
      break;
    }
  }
  return withSteps(run, steps);
}

/** The first task of a step (or of one forEach item). */
export function stepTask(run: string, step: string, item?: number, route = 0, attempt = 1): StepTask {
  return item === undefined
    ? { kind: 'step', run, step, route, attempt }
    : { kind: 'step', run, step, item, route, attempt };
}

export function hasTask(tasks: readonly Task[], step: string): boolean {
  return tasks.some((t) => t.kind === 'step' && t.step === step);
}

/** Started, but its first task has not run yet (or was lost with a crash). */
export function neverAttempted(record: StepRecord): boolean {
  return (
    record.attempts.length === 0 &&
    record.route === 0 &&
    record.routeAttempts === 0 &&
    record.wakeAt === undefined &&
    record.items === undefined
  );
}

/** True when `step` is the only step of the run in its main phase that is running. */
export function runsAlone(run: RunRecord, step: string): boolean {
  if (run.phase !== 'main') return false;
  const { steps } = run;
  for (let i = 0; i < steps.length; i++) {
    const record = steps[i]!;
    if (record.status === 'running' && record.id !== step) return false;
  }
  return true;
}

/** A step task on its first attempt of its first route: the only kind handed over. */
export function isFirstAttempt(task: Task): task is StepTask {
  return task.kind === 'step' && task.item === undefined && task.route === 0 && task.attempt === 1;
}
