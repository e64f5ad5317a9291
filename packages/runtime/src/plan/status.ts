import { isoMs } from '../model/iso-time';
import {
  type RunRecord,
  type SettledStatus,
  type StepRecord,
  TERMINAL_RUN_STATUSES,
} from '../model/run-record';
import { type Decision, NOTHING } from './decision';

/**
 * The rule of the run's status between `running` (something is being
 * worked on) and `waiting` (everything left is parked: delays, retry waits,
 * steps waiting for an event or a decision).
 */
export function settle(run: RunRecord, now: number): Decision {
  const status = settledStatus(run, now, undefined);
  return status === undefined ? NOTHING : { patch: { status } };
}

/**
 * The decision fields that write the run's status with `record` when
 * `record` replacing its step's changes it (`Decision.status`, one store
 * write), so no reader sees a step waiting while its run is still running.
 * settle() after the write covers a run changed meanwhile.
 */
export function settlingWith(
  run: RunRecord,
  record: StepRecord,
  now: number,
): Pick<Decision, 'status' | 'basedOn'> {
  const status = settledStatus(run, now, record);
  return status === undefined ? NOTHING : { status, basedOn: run };
}

/** The run's running/waiting status by the rule above, with `replaced` instead of its step's record; undefined when unchanged. */
function settledStatus(
  run: RunRecord,
  now: number,
  replaced: StepRecord | undefined,
): SettledStatus | undefined {
  if (TERMINAL_RUN_STATUSES.has(run.status) || run.status === 'queued') return undefined;
  let active = false;
  let parked = true;
  const { steps } = run;
  for (let i = 0; i < steps.length; i++) {
    let record = steps[i]!;
    if (replaced !== undefined && record.id === replaced.id) record = replaced;
    if (record.status === 'waiting') {
      active = true;
      continue;
    }
    if (record.status !== 'running') continue;
    active = true;
    if (record.wakeAt === undefined || isoMs(record.wakeAt) <= now) parked = false;
  }
  if (!active) return undefined;
  const status = parked ? 'waiting' : 'running';
  return status === run.status ? undefined : status;
}
