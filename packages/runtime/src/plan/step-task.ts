import { ENDED_STEP_STATUSES } from '../model/run-record';
import { type Decision, NOTHING, type StepTask } from './decision';
import { planDelay } from './delay';
import { planInterrupted } from './interrupt';
import { planFanOut, planItemTask } from './items';
import type { Planning } from './planning';
import { recordAt, runsAlone, stepTask } from './records';
import { isStaleTurn } from './throttled';
import { planWaitingTask } from './waiting';

/**
 * A step's task arrived: call its route, wake its delay, or fan its forEach
 * out. A task that does not match the step's recorded progress is a
 * duplicate from a crash or a race: it queues what the record expects (the
 * queue drops a copy that exists) or does nothing.
 */
export function planStepTask(p: Planning, task: StepTask, handedOver: boolean): Decision {
  const { flow, run } = p;
  const step = flow.byId.get(task.step);
  const record = step && recordAt(run, step.index, step.id);
  if (!step || !record) return NOTHING;
  if (ENDED_STEP_STATUSES.has(record.status)) return { afterwards: 'changed' };
  if (step.phase === 'main' && run.phase !== 'main') return planInterrupted(p, step, record, task);
  // Handed over as the run's one running step; should anything else have started since (a
  // duplicate task of the run), the queue, whose task ids keep a second copy out, runs it.
  if (handedOver && !runsAlone(run, task.step)) return { tasks: [task] };
  if (run.status === 'waiting') return { patch: { status: 'running' }, afterwards: 'again' };

  if (step.kind === 'delay') return planDelay(p, step, record, task);
  if (step.kind === 'wait' || step.kind === 'approval') return planWaitingTask(p, step, record, task);
  if (step.forEach) {
    return task.item === undefined ? planFanOut(p, step, record) : planItemTask(p, step, task);
  }
  if (record.route !== task.route || record.routeAttempts + 1 !== task.attempt) {
    // A redelivery after a crash between the record's write and the next task's queueing.
    const ahead =
      record.route > task.route || (record.route === task.route && record.routeAttempts + 1 > task.attempt);
    if (!ahead) return NOTHING;
    const wait = record.wakeAt ? Date.parse(record.wakeAt) - p.now : 0;
    return {
      tasks: [stepTask(run.id, record.id, undefined, record.route, record.routeAttempts + 1)],
      ...(wait > 0 ? { delayMs: wait } : {}),
    };
  }
  if (isStaleTurn(record, task)) return NOTHING;
  return { call: { task } };
}
