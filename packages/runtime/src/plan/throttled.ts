import { isoTime } from '../model/iso-time';
import type { StepRecord } from '../model/run-record';
import type { CompensateTask, Decision, StepTask, ThrottledCall } from './decision';
import type { Planning } from './planning';
import { OPEN } from './records';

/**
 * A call waits for its instance's budget in the queue rather than in a
 * worker: the same attempt comes back after the wait, as a task of the next
 * turn (a new task id; tasks of older turns are stale). A step's record
 * says what it waits for, so the run and the dashboard show it; a forEach
 * item or a compensation just goes back to the queue.
 */
export function planThrottled(
  p: Planning,
  task: StepTask | CompensateTask,
  throttle: ThrottledCall,
): Decision {
  const turn = (task.turn ?? 0) + 1;
  const next = { ...task, turn, throttled: throttle.throttledAnswers };
  const delayMs = throttle.waitMs;
  const record = p.run.steps.find((r) => r.id === task.step);
  if (task.kind === 'compensate' || task.item !== undefined || record?.status !== 'running') {
    return { tasks: [next], delayMs };
  }
  const until = isoTime(p.now + delayMs);
  const waiting: StepRecord = {
    ...record,
    // Parked, as a retry's wait is: a failing run interrupts it rather than wait for it.
    wakeAt: until,
    throttle: {
      instance: throttle.instance,
      reason: throttle.reason,
      since: record.throttle?.since ?? isoTime(p.now),
      until,
      turn,
    },
  };
  // Record first, queue second, as a retry does: a redelivered task finds the record ahead.
  return { writes: [{ step: waiting, ifStatus: OPEN, required: true }], tasks: [next], delayMs };
}

/** True when `task` is of an older turn than the step's record: a stale copy. */
export function isStaleTurn(record: StepRecord, task: StepTask): boolean {
  return record.throttle !== undefined && (task.turn ?? 0) < record.throttle.turn;
}
