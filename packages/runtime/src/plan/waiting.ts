import { createHash } from 'node:crypto';
import type { CompiledStep } from '../compile/compile-flow';
import { stepSucceeded } from '../model/events';
import { isoTime } from '../model/iso-time';
import type { ApprovalDecision, CloudEvent, StepRecord, WaitRecord } from '../model/run-record';
import { waitEntryOf } from '../model/wait';
import type { Decision, StepTask, WaitRegistration } from './decision';
import { NOTHING } from './decision';
import { endStep } from './end-step';
import type { Planning } from './planning';
import { OPEN } from './records';
import { runError } from './run-error';
import { settlingWith } from './status';
import { stepFailed } from './step-events';

/**
 * The rule of `wait` and `approval` steps. The first task writes the step
 * `waiting` (with what it waits for) and queues its timeout; a wait is then
 * registered in the backend's index, which may answer at once with an event
 * that arrived within the lookback. The step ends when its event is matched
 * (a `resume` task), when someone decides (approvals), or when its timeout
 * task finds it still waiting (WAIT_TIMEOUT). Each end is a compare-and-set
 * from an open status (`waiting` among them): whichever comes first ends it,
 * once.
 */
export function planWaitingTask(
  p: Planning,
  step: CompiledStep,
  record: StepRecord,
  task: StepTask,
): Decision {
  if (task.attempt >= 2) return record.status === 'waiting' ? timedOut(p, step, record) : NOTHING;
  if (record.status === 'waiting') {
    // The first task again (a crash after the write, before the registration): register again.
    return step.wait && record.wait
      ? { register: registration(p, step, record.wait), afterwards: 'settle' }
      : NOTHING;
  }
  return step.kind === 'wait' ? startWait(p, step, record, task) : startApproval(p, step, record, task);
}

function startWait(p: Planning, step: CompiledStep, record: StepRecord, task: StepTask): Decision {
  const computed = p.facts.waitKey;
  if (!computed) return { ask: { fact: 'waitKey', step: step.id, run: p.run } };
  if ('error' in computed) {
    const error = runError(
      'INPUT_EXPRESSION_FAILED',
      `The key of wait step "${step.id}" could not be computed: ${computed.error}`,
      p.secrets,
    );
    return fail(p, record, error);
  }
  const wait: WaitRecord = {
    source: step.wait!.source,
    event: step.wait!.event,
    key: keyText(computed.value),
    since: isoTime(p.now),
    ...(step.waitTimeoutMs !== undefined ? { timeoutAt: isoTime(p.now + step.waitTimeoutMs) } : {}),
  };
  return {
    ...waiting(
      p,
      step,
      record,
      task,
      { ...record, status: 'waiting', wait },
      `${wait.event} from ${wait.source} for ${wait.key}`,
    ),
    register: registration(p, step, wait),
  };
}

function startApproval(p: Planning, step: CompiledStep, record: StepRecord, task: StepTask): Decision {
  const text = p.facts.approvalText;
  if (!text) return { ask: { fact: 'approvalText', step: step.id, run: p.run } };
  if ('error' in text) {
    const error = runError(
      'INPUT_EXPRESSION_FAILED',
      `The title of approval step "${step.id}" could not be computed: ${text.error}`,
      p.secrets,
    );
    return fail(p, record, error);
  }
  const approval = {
    title: text.title,
    ...(text.details !== undefined ? { details: text.details } : {}),
    since: isoTime(p.now),
    ...(step.waitTimeoutMs !== undefined ? { timeoutAt: isoTime(p.now + step.waitTimeoutMs) } : {}),
  };
  return waiting(
    p,
    step,
    record,
    task,
    { ...record, status: 'waiting', approval },
    `a decision: ${text.title}`,
  );
}

/**
 * The step written `waiting`, its timeout queued, and the run's status
 * following. An approval's run waits in the step's own write. A wait
 * step's run turns `waiting` only once its wait is registered (settle()
 * after `wait-registered`): an event sent to a run seen waiting is then
 * always matched, and listed in the gateway's answer.
 */
function waiting(
  p: Planning,
  step: CompiledStep,
  record: StepRecord,
  task: StepTask,
  next: StepRecord,
  waitingFor: string,
): Decision {
  const timeout = step.waitTimeoutMs;
  const parked: StepRecord = { ...next, startedAt: record.startedAt ?? isoTime(p.now) };
  return {
    ...(step.kind === 'approval' ? settlingWith(p.run, parked, p.now) : NOTHING),
    writes: [
      {
        step: parked,
        ifStatus: OPEN,
        required: true,
        events: [
          {
            type: 'step.waiting',
            runId: p.run.id,
            flow: p.run.flow,
            step: step.id,
            waitingFor,
            ...(timeout !== undefined ? { untilMs: timeout } : {}),
          },
        ],
      },
    ],
    ...(timeout !== undefined ? { tasks: [{ ...task, attempt: 2 }], delayMs: timeout } : {}),
    afterwards: 'settle',
  };
}

/** A wait step's event arrived (matched by ingest, or within the lookback at registration). */
export function planMatched(p: Planning, stepId: string, event: CloudEvent | undefined): Decision {
  const step = p.flow.byId.get(stepId);
  const record = p.run.steps.find((r) => r.id === stepId);
  if (!step || !record || !event) return NOTHING;
  if (record.status !== 'waiting') return record.status === 'running' ? NOTHING : { afterwards: 'changed' };
  const startedAt = record.startedAt ?? isoTime(p.now);
  const done: StepRecord = { ...record, status: 'succeeded', output: event, endedAt: isoTime(p.now) };
  const ended = endStep(p, done, [stepSucceeded(p.run, stepId, startedAt, p.now)]);
  // The matched event was kept for this end: drop it (and the waiter, when still there).
  return record.wait ? { ...ended, forget: [waitEntryOf(p.run, stepId, record.wait)] } : ended;
}

/** An approver's decision: approve ends the step with it, reject fails it with APPROVAL_REJECTED. */
export function planDecision(p: Planning, stepId: string, decision: ApprovalDecision): Decision {
  const record = p.run.steps.find((r) => r.id === stepId);
  if (record?.status !== 'waiting') return NOTHING;
  const startedAt = record.startedAt ?? isoTime(p.now);
  const audit = {
    action: decision.decision,
    actor: decision.by,
    at: decision.at,
    detail: `step ${stepId}${decision.comment ? `: ${decision.comment}` : ''}`,
  };
  if (decision.decision === 'approve') {
    const done: StepRecord = { ...record, status: 'succeeded', output: decision, endedAt: decision.at };
    return { ...endStep(p, done, [stepSucceeded(p.run, stepId, startedAt, p.now)]), audit };
  }
  const error = runError(
    'APPROVAL_REJECTED',
    `Rejected by ${decision.by}${decision.comment ? `: ${decision.comment}` : ''}`,
    p.secrets,
  );
  const failed: StepRecord = { ...record, status: 'failed', output: decision, error, endedAt: decision.at };
  return { ...endStep(p, failed, [stepFailed(p, failed, startedAt)]), audit };
}

function timedOut(p: Planning, step: CompiledStep, record: StepRecord): Decision {
  const error = runError(
    'WAIT_TIMEOUT',
    `Step "${step.id}" waited longer than its timeout for ${step.kind === 'approval' ? 'a decision' : 'its event'}`,
    p.secrets,
  );
  const decision = fail(p, record, error);
  const forget = step.wait && record.wait ? waitEntryOf(p.run, step.id, record.wait) : undefined;
  return forget ? { ...decision, forget: [forget] } : decision;
}

function fail(p: Planning, record: StepRecord, error: StepRecord['error']): Decision {
  const failed: StepRecord = {
    ...record,
    status: 'failed',
    ...(error ? { error } : {}),
    endedAt: isoTime(p.now),
  };
  return endStep(p, failed, [stepFailed(p, failed, record.startedAt ?? failed.endedAt!)]);
}

function registration(p: Planning, step: CompiledStep, wait: WaitRecord): WaitRegistration {
  return {
    wait: waitEntryOf(p.run, step.id, wait),
    sinceMs: Date.parse(wait.since),
    lookbackMs: step.wait?.lookbackMs ?? 0,
  };
}

/** Keys longer than this are indexed by their SHA-256: an event's field can be long. */
const LONG_KEY = 200;

/** A key as the index holds it: strings as they are, anything else as JSON; long ones hashed. */
export function keyText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.length > LONG_KEY ? `sha256:${createHash('sha256').update(text).digest('hex')}` : text;
}
