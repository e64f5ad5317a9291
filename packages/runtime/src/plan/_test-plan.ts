/**
 * Test support for the planner's own tests (not exported): flows from JSON,
 * runs with chosen step records, tasks, happenings and call outcomes, and
 * plan() with a fixed clock and a fixed jitter, so that every case of a
 * rule is a table row whose decision can be asserted exactly.
 */
import { BatonError, type BatonErrorOptions } from '@baton/sdk';
import { type CompiledFlow, compileFlow } from '../compile/compile-flow';
import { flowSchema } from '../flow/schema';
import { newRun } from '../model/new-run';
import type { AttemptRecord, CloudEvent, ItemRecord, RunRecord, StepRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type {
  CallOutcome,
  CompensateTask,
  Decision,
  Facts,
  Happening,
  PlannedWrite,
  StepTask,
} from './decision';
import { type PlanInput, plan } from './plan';

/** The planner's clock in every case. */
export const NOW = Date.parse('2026-03-01T12:00:00.000Z');
/** The id of every test run, and of its flow. */
export const RUN = 'run_test';
export const FLOW = 'test-flow';

type Serialized = NonNullable<StepRecord['error']>;

/** The ISO time `ms` after NOW (before it, when negative). */
export function at(ms = 0): string {
  return new Date(NOW + ms).toISOString();
}

/** A compiled flow `test-flow` from the JSON of its other fields, as a flow file gives them. */
export function flowOf(spec: { steps: unknown[]; [field: string]: unknown }): CompiledFlow {
  return compileFlow(flowSchema.parse({ id: FLOW, ...spec }));
}

const EVENT: CloudEvent = {
  specversion: '1.0',
  id: 'evt-1',
  source: 'manual',
  type: 'manual',
  time: at(-60_000),
  data: {},
};

/** Step records by step id, each given by the fields that differ from a fresh (pending) one. */
export type Records = Record<string, Partial<StepRecord>>;

/**
 * A run of `flow` as newRun() makes it, with the id RUN, started a minute
 * ago (status `running`, phase `main` unless `fields` say otherwise), and
 * its records changed by `records`.
 */
export function runOf(
  flow: CompiledFlow,
  records: Records = {},
  fields: Partial<Pick<RunRecord, 'status' | 'phase' | 'error'>> = {},
): RunRecord {
  const fresh = newRun(flow, EVENT, 'manual', NOW - 60_000);
  return withSteps({ ...fresh, id: RUN, status: 'running', startedAt: at(-60_000), ...fields }, records);
}

/** `run` with `records` merged into its records of the same steps. */
export function withSteps(run: RunRecord, records: Records): RunRecord {
  for (const id of Object.keys(records)) {
    if (!run.steps.some((r) => r.id === id)) throw new Error(`the run has no record of step "${id}"`);
  }
  return { ...run, steps: run.steps.map((r) => (records[r.id] ? { ...r, ...records[r.id] } : r)) };
}

/** The run's record of step `id`. */
export function recordOf(run: RunRecord, id: string): StepRecord {
  const record = run.steps.find((r) => r.id === id);
  if (!record) throw new Error(`the run has no record of step "${id}"`);
  return record;
}

/** A started step whose first task has not run yet. */
export const STARTED: Partial<StepRecord> = { status: 'running', startedAt: at(-1000) };

/** A step that succeeded `endedMs` from NOW. */
export function succeeded(endedMs = -500, output: unknown = { ok: true }): Partial<StepRecord> {
  return { status: 'succeeded', startedAt: at(endedMs - 100), endedAt: at(endedMs), output };
}

/** A step that failed for good with `error`. */
export function failed(error: Serialized = serialized(errorOf('BOOM'))): Partial<StepRecord> {
  return { status: 'failed', startedAt: at(-600), endedAt: at(-500), error };
}

/** A step task, first attempt of the first route unless told. */
export function stepTask(
  step: string,
  fields: { item?: number; route?: number; attempt?: number } = {},
): StepTask {
  return {
    kind: 'step',
    run: RUN,
    step,
    ...(fields.item !== undefined ? { item: fields.item } : {}),
    route: fields.route ?? 0,
    attempt: fields.attempt ?? 1,
  };
}

export function compensateTask(step: string, attempt = 1): CompensateTask {
  return { kind: 'compensate', run: RUN, step, attempt };
}

export const CHANGED: Happening = { kind: 'changed' };

/** A task taken from the queue (or, with `handedOver`, handed over). */
export function arrived(
  task: Exclude<Task, { kind: 'tick' | 'replay-batch' }>,
  handedOver = false,
): Happening {
  return handedOver ? { kind: 'task', task, handedOver } : { kind: 'task', task };
}

export function called(task: StepTask | CompensateTask, outcome: CallOutcome): Happening {
  return { kind: 'called', task, outcome };
}

/** A Baton error with `code` (not retryable unless told). */
export function errorOf(code: string, options: Omit<BatonErrorOptions, 'code'> & { message?: string } = {}) {
  const { message, ...rest } = options;
  return new BatonError(message ?? 'boom', { retryable: false, ...rest, code });
}

/** An error as a run record stores it. */
export function serialized(error: BatonError): Serialized {
  return {
    name: error.name,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

/** The record of one call of `action` (route `route`) that ended at NOW. */
export function attemptOf(
  action: string,
  fields: { route?: number; item?: number; error?: Serialized } = {},
) {
  const attempt: AttemptRecord = { action, route: fields.route ?? 0, startedAt: at(-100), endedAt: at(0) };
  if (fields.item !== undefined) attempt.item = fields.item;
  if (fields.error) attempt.error = fields.error;
  return attempt;
}

/** The input every call outcome reports. */
export const INPUT = { n: 1 };

export function callSucceeded(
  action: string,
  output: unknown,
  fields: { route?: number; item?: number } = {},
): CallOutcome {
  return { ok: true, output, attempt: attemptOf(action, fields), input: INPUT };
}

export function callFailed(
  action: string,
  error: BatonError,
  fields: { route?: number; item?: number } = {},
): CallOutcome {
  const stored = serialized(error);
  return {
    ok: false,
    error,
    serialized: stored,
    attempt: attemptOf(action, { ...fields, error: stored }),
    input: INPUT,
  };
}

/** A forEach item's record: pending, first route, no attempt, unless told. */
export function itemOf(index: number, fields: Partial<ItemRecord> = {}): ItemRecord {
  return { index, status: 'pending', route: 0, routeAttempts: 0, attempts: [], ...fields };
}

/** One case of a rule: the planner's input, with NOW and a jitter of 0.5 (none) unless told. */
export interface PlanCase {
  flow: CompiledFlow | undefined;
  run: RunRecord;
  happened: Happening;
  facts?: Facts;
  queued?: readonly Task[];
  now?: number;
  random?: () => number;
}

/** plan() on a case, with the fixed clock and jitter. */
export function planOf(c: PlanCase): Decision {
  const input: PlanInput = {
    flow: c.flow,
    run: c.run,
    happened: c.happened,
    now: c.now ?? NOW,
    random: c.random ?? (() => 0.5),
  };
  if (c.facts) input.facts = c.facts;
  if (c.queued) input.queued = c.queued;
  return plan(input);
}

/** The write of a step's start from `pending`, as the rule of needs makes it. */
export function startWrite(run: RunRecord, step: string, action?: string): PlannedWrite {
  return {
    step: { ...recordOf(run, step), status: 'running', startedAt: at() },
    ifStatus: ['pending'],
    events: [
      { type: 'step.started', runId: RUN, flow: FLOW, step, ...(action !== undefined ? { action } : {}) },
    ],
    tasks: [stepTask(step)],
  };
}

/** The write of a step's skip from `pending`, with its reason and event. */
export function skipWrite(run: RunRecord, step: string, reason: string): PlannedWrite {
  return {
    step: { ...recordOf(run, step), status: 'skipped', skipReason: reason, endedAt: at() },
    ifStatus: ['pending'],
    events: [{ type: 'step.skipped', runId: RUN, flow: FLOW, step, reason }],
  };
}
