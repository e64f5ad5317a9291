import type { CompiledFlow } from '../compile/compile-flow';
import { isoTime } from '../model/iso-time';
import type { RunRecord } from '../model/run-record';
import { TERMINAL_RUN_STATUSES } from '../model/run-record';
import type { Task } from '../model/task';
import { planChanged } from './advance';
import { planAttempt } from './attempt';
import { planCompensateTask, planCompensation } from './compensation';
import { type Decision, type Facts, type Happening, NOTHING, type RunTask } from './decision';
import { beginFailure } from './failure';
import { planItemAttempt, planItemWritten } from './items';
import type { Planning } from './planning';
import { runError } from './run-error';
import { settle } from './status';
import { planStepTask } from './step-task';
import { planThrottled } from './throttled';
import { planDecision, planMatched } from './waiting';

/** What the planner is asked: a run, its flow, and what just happened to it. */
export interface PlanInput {
  /** The run's flow; undefined when it is no longer loaded. */
  flow: CompiledFlow | undefined;
  run: RunRecord;
  happened: Happening;
  facts?: Facts;
  /** Tasks queued (or handed over) while handling the current task so far. */
  queued?: readonly Task[];
  now: number;
  /** @default Math.random */
  random?: () => number;
  secrets?: readonly string[];
}

/**
 * Baton's scheduling rules, in one pure, synchronous function: from a flow,
 * a run as read and what just happened, the decision of what to write,
 * queue, emit, call or run next. It reads nothing and writes nothing;
 * execute/ applies its decisions through a backend, and asks it again with
 * what came of them. Each rule lives in its own file of this folder.
 */
export function plan(input: PlanInput): Decision {
  const { run, happened } = input;
  if (TERMINAL_RUN_STATUSES.has(run.status)) return NOTHING;
  if (!input.flow) {
    if (happened.kind !== 'task' && happened.kind !== 'task-failed' && happened.kind !== 'changed')
      return NOTHING;
    const error = runError('FLOW_REMOVED', `Flow "${run.flow}" is no longer loaded`);
    return { end: { status: 'failed', error } };
  }
  // The executor passes every field (it plans on every step): no second object then.
  const p: Planning =
    input.facts && input.queued && input.random && input.secrets
      ? (input as Planning)
      : {
          flow: input.flow,
          run,
          facts: input.facts ?? {},
          queued: input.queued ?? [],
          now: input.now,
          random: input.random ?? Math.random,
          secrets: input.secrets ?? [],
        };
  switch (happened.kind) {
    case 'task':
      return planTask(p, happened.task, happened.handedOver === true);
    case 'called':
      if (happened.task.kind === 'compensate') return planCompensation(p, happened.task, happened.outcome);
      return happened.task.item === undefined
        ? planAttempt(p, happened.task, happened.outcome)
        : planItemAttempt(p, happened.task, happened.outcome);
    case 'throttled':
      return planThrottled(p, happened.task, happened.throttle);
    case 'item-written':
      return planItemWritten(p, happened.task, happened.item, happened.items);
    case 'changed':
      return planChanged(p);
    case 'task-failed':
      return { end: { status: 'failed', error: happened.error } };
    case 'wait-registered':
      return happened.matched ? planMatched(p, happened.step, happened.matched) : settle(run, p.now);
    case 'decided':
      return planDecision(p, happened.step, happened.decision);
  }
}

/** A waiting step's event was matched by ingest: end the step with it. */
function planResume(p: Planning, stepId: string): Decision {
  const record = p.run.steps.find((r) => r.id === stepId);
  if (record?.status !== 'waiting' || !record.wait) return NOTHING;
  const match = p.facts.match;
  if (!match) return { ask: { fact: 'match', step: stepId } };
  return planMatched(p, stepId, match.event);
}

function planTask(p: Planning, task: RunTask, handedOver: boolean): Decision {
  const { run } = p;
  switch (task.kind) {
    case 'start':
      if (run.status !== 'queued') return planChanged(p);
      return {
        patch: { status: 'running', startedAt: isoTime(p.now) },
        events: [{ type: 'run.started', runId: run.id, flow: run.flow }],
        ...(p.flow.timeoutMs !== undefined
          ? { tasks: [{ kind: 'timeout', run: run.id }], delayMs: p.flow.timeoutMs }
          : {}),
        afterwards: 'changed',
      };
    case 'step':
      return planStepTask(p, task, handedOver);
    case 'compensate':
      return planCompensateTask(p, task);
    case 'resume':
      return planResume(p, task.step);
    case 'timeout':
      if (run.phase !== 'main') return NOTHING;
      return beginFailure(
        p,
        runError('FLOW_TIMEOUT', `The run lasted longer than the flow timeout (${p.flow.flow.timeout})`),
      );
  }
}
