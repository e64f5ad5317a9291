import { isoMs } from '../model/iso-time';
import { type RunRecord, TERMINAL_RUN_STATUSES } from '../model/run-record';
import { type Decision, NOTHING } from './decision';

/**
 * The rule of the run's status between `running` (something is being
 * worked on) and `waiting` (everything left is parked: delays, retry waits,
 * steps waiting for an event or a decision).
 */
export function settle(run: RunRecord, now: number): Decision {
  if (TERMINAL_RUN_STATUSES.has(run.status) || run.status === 'queued') return NOTHING;
  let active = false;
  let parked = true;
  const { steps } = run;
  for (let i = 0; i < steps.length; i++) {
    const record = steps[i]!;
    if (record.status === 'waiting') {
      active = true;
      continue;
    }
    if (record.status !== 'running') continue;
    active = true;
    if (record.wakeAt === undefined || isoMs(record.wakeAt) <= now) parked = false;
  }
  if (!active) return NOTHING;
  const status = parked ? 'waiting' : 'running';
  return status === run.status ? NOTHING : { patch: { status } };
}
