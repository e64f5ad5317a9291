import { stepSucceeded } from '../model/events';
import { isoMs, isoTime } from '../model/iso-time';
import type { AttemptRecord, StepRecord } from '../model/run-record';
import type { CallOutcome, Decision, StepTask } from './decision';
import { endStep } from './end-step';
import type { Planning } from './planning';
import { OPEN, recordAt, stepTask } from './records';
import { afterFailure } from './retry';
import { settlingWith } from './status';
import { attemptFailed, rerouted, stepFailed } from './step-events';

/**
 * A step's attempt came back: it succeeded (the step ends and what it makes
 * ready starts), or it failed and is retried, rerouted to the next route,
 * or fails the step.
 */
export function planAttempt(p: Planning, task: StepTask, outcome: CallOutcome): Decision {
  const { run } = p;
  const step = p.flow.byId.get(task.step);
  const record = step && recordAt(run, step.index, step.id);
  if (!step || !record) return { afterwards: 'changed' };
  const route = step.routes[task.route]!;
  const startedAt = record.startedAt ?? outcome.attempt.startedAt;
  const attempts = [...record.attempts, withQueueWait(outcome.attempt, record)];
  const input = record.input === undefined ? outcome.input : record.input;

  if (outcome.ok) {
    // The path of every successful step: the record is built field by field, not spread from
    // the running one, which reaches here in several shapes (V8 copies those the slow way).
    // A running action step's record holds no other field (see model/run-record.ts).
    const done: StepRecord = {
      id: record.id,
      phase: record.phase,
      status: 'succeeded',
      attempts,
      route: record.route,
      routeAttempts: task.attempt,
      startedAt,
      endedAt: isoTime(p.now),
      output: outcome.output,
      servedBy: route.action,
    };
    if (input !== undefined) done.input = input;
    return endStep(p, done, [stepSucceeded(run, step.id, startedAt, p.now, route.action)]);
  }

  const { wakeAt: _parked, throttle: _waited, ...open } = record;
  const base: StepRecord = {
    ...open,
    status: 'running',
    startedAt,
    attempts,
    routeAttempts: task.attempt,
    ...(input !== undefined ? { input } : {}),
  };
  const next = afterFailure(step, task.route, task.attempt, outcome.error, p.random);
  const failed = attemptFailed(p, step, task, outcome, next);
  if (next.next === 'retry') {
    // Record first, queue second: a redelivered task finds the record ahead and heals.
    const parked: StepRecord = { ...base, wakeAt: new Date(p.now + next.delayMs).toISOString() };
    return {
      ...settlingWith(run, parked, p.now),
      writes: [{ step: parked, ifStatus: OPEN, required: true }],
      events: [failed],
      tasks: [{ ...task, attempt: task.attempt + 1 }],
      delayMs: next.delayMs,
      afterwards: 'settle',
    };
  }
  if (next.next === 'reroute') {
    return {
      writes: [{ step: { ...base, route: next.route, routeAttempts: 0 }, ifStatus: OPEN, required: true }],
      events: [failed, rerouted(p, step, task, next.route)],
      tasks: [stepTask(run.id, step.id, undefined, next.route)],
    };
  }
  const end: StepRecord = { ...base, status: 'failed', error: outcome.serialized, endedAt: isoTime(p.now) };
  return endStep(p, end, [stepFailed(p, end, startedAt)]);
}

/** An attempt that waited in the queue for its budget: its wait counts from when the step began waiting. */
function withQueueWait(attempt: AttemptRecord, record: StepRecord): AttemptRecord {
  if (!record.throttle) return attempt;
  const queued = isoMs(attempt.startedAt) - isoMs(record.throttle.since);
  return queued > (attempt.waitedMs ?? 0) ? { ...attempt, waitedMs: queued } : attempt;
}
