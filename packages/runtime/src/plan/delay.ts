import type { CompiledStep } from '../compile/compile-flow';
import { stepSucceeded } from '../model/events';
import { isoTime } from '../model/iso-time';
import type { StepRecord } from '../model/run-record';
import type { Decision, StepTask } from './decision';
import { endStep } from './end-step';
import type { Planning } from './planning';
import { OPEN } from './records';
import { runError } from './run-error';
import { settlingWith } from './status';
import { stepFailed } from './step-events';

/** A timer that fires this much early still wakes the delay (timers are not exact). */
const EARLY_TOLERANCE_MS = 5;

/**
 * The rule of `delay` steps: the first task fixes the time to wake (a
 * duration from now, or `until` evaluated in the run) and parks the step
 * until then; the task due then ends it.
 */
export function planDelay(p: Planning, step: CompiledStep, record: StepRecord, task: StepTask): Decision {
  const { run, now } = p;
  const startedAt = record.startedAt ?? isoTime(now);
  let wakeAt = record.wakeAt ? Date.parse(record.wakeAt) : undefined;
  if (wakeAt === undefined) {
    if (step.delayMs !== undefined) {
      wakeAt = now + step.delayMs;
    } else {
      const until = p.facts.delayUntil;
      if (!until) return { ask: { fact: 'delayUntil', step: step.id, run } };
      const value = 'value' in until ? until.value : undefined;
      wakeAt =
        typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN;
      if (Number.isNaN(wakeAt)) {
        const why = 'error' in until ? until.error : JSON.stringify(value);
        const error = runError(
          'DELAY_UNTIL_INVALID',
          `Step "${step.id}": delay.until did not give a date (${why})`,
          p.secrets,
        );
        const failed: StepRecord = { ...record, status: 'failed', startedAt, error, endedAt: isoTime(now) };
        return endStep(p, failed, [stepFailed(p, failed, startedAt)]);
      }
    }
  }
  if (wakeAt - now > EARLY_TOLERANCE_MS) {
    const parked: StepRecord = {
      ...record,
      status: 'running',
      startedAt,
      wakeAt: new Date(wakeAt).toISOString(),
    };
    return {
      ...settlingWith(run, parked, now),
      writes: [{ step: parked, ifStatus: OPEN, required: true }],
      events: [{ type: 'step.waiting', runId: run.id, flow: run.flow, step: step.id, untilMs: wakeAt - now }],
      tasks: [{ ...task, attempt: task.attempt + 1 }],
      delayMs: wakeAt - now,
      afterwards: 'settle',
    };
  }
  const { wakeAt: _woken, ...rest } = record;
  const done: StepRecord = {
    ...rest,
    status: 'succeeded',
    startedAt,
    output: { waitedUntil: new Date(wakeAt).toISOString() },
    endedAt: isoTime(now),
  };
  return endStep(p, done, [stepSucceeded(run, step.id, startedAt, now)]);
}
