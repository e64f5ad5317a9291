import type { EngineEvent } from '../model/events';
import type { StepRecord } from '../model/run-record';
import { TERMINAL_RUN_STATUSES } from '../model/run-record';
import { firstFailure } from './continue-on-error';
import type { Decision, PlannedWrite } from './decision';
import type { Planning } from './planning';
import { isAsk, planReady, type ReadyPlan, runsAloneAfter } from './ready';
import { OPEN } from './records';

/**
 * A step's end (`record`: succeeded or failed) and, in the same write, the
 * starts it makes ready: on Redis one round trip per step fewer. The starts
 * are planned from the run as the task read it, so the store makes them only
 * when nothing changed the run since (a failure elsewhere must stop new
 * starts); otherwise the run is planned again as stored. Nothing happens
 * when the step's record was no longer open (a duplicate task).
 */
export function endStep(p: Planning, record: StepRecord, events: readonly EngineEvent[]): Decision {
  const { flow, run } = p;
  const eligible = run.phase === 'main' && run.status !== 'queued' && !TERMINAL_RUN_STATUSES.has(run.status);
  let starts: ReadyPlan | undefined;
  // The run as if it held `record` (an overlay, not a copy of the run on every step).
  if (eligible && !firstFailure(flow, run, record)) {
    const ready = planReady(flow.main, run, [], p.facts, p.now, record);
    if (isAsk(ready)) return { ask: ready };
    starts = ready;
  }
  const own: PlannedWrite = { step: record, ifStatus: OPEN, required: true, events };
  // Literals: an array pushed to from one item takes room for 17.
  const writes = starts && starts.writes.length > 0 ? [own, ...starts.writes] : [own];
  const runNext = starts ? firstAlone(starts) : undefined;
  // Every start made means the run is as planned: a started step has not ended and the run
  // neither ended nor failed, so planning again would find nothing but its status to follow.
  const asPlanned = starts !== undefined && starts.writes.length > 0 && starts.onlyStarts;
  return {
    writes,
    basedOn: run,
    runNext,
    afterwards: asPlanned ? 'settle' : 'changed',
  };
}

/** The first step these starts begin that will then be the run's one running step. */
export function firstAlone(ready: ReadyPlan): Decision['runNext'] {
  for (let i = 0; i < ready.writes.length; i++) {
    const write = ready.writes[i]!;
    const task = write.tasks?.[0];
    if (task?.kind === 'step' && runsAloneAfter(ready, task.step)) return task;
  }
  return undefined;
}
