import { isoMs } from '../model/iso-time';
import type { AttemptRecord, RunRecord, RunStatus, StepRecord } from '../model/run-record';

/** What kind of step a record is of, when the flow says (delays have no record of their own kind). */
export type StepKind = 'action' | 'delay' | 'wait' | 'approval';

/** What one step of an ended run adds to its flow's analytics. */
export interface StepFigures {
  id: string;
  /** From the step's start to its end (ms). */
  durationMs: number;
  /** Calls made, every route and forEach item included. */
  attempts: number;
  /** Attempts after the first on the same route (and item). */
  retries: number;
  /** Fallback routes tried (per forEach item). */
  fallbacks: number;
  /** Time waiting (ms): for the instance's budget, and the whole of a wait, approval or delay step. */
  waitingMs: number;
}

/**
 * What an ended run adds to its flow's analytics, worked out from its
 * record alone when it ends (so recording costs no write per step).
 */
export interface RunFigures {
  flow: string;
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled'>;
  /** When it ended (epoch ms): the time buckets it is counted in. */
  endedAt: number;
  /** From its creation (queued) to its end (ms). */
  durationMs: number;
  /** Its error's code, when it failed or was cancelled with one. */
  errorCode?: string;
  /** The code of every failed attempt of its steps, retried or not (one entry per attempt). */
  attemptErrors: string[];
  /** The steps that ran in this run (not skipped, not reused from the run it replays). */
  steps: StepFigures[];
}

const RAN: ReadonlySet<StepRecord['status']> = new Set(['succeeded', 'failed', 'compensated']);
const WAITING_KINDS: ReadonlySet<StepKind> = new Set(['delay', 'wait', 'approval']);

/**
 * The figures of an ended run. `kindOf` names a step's kind from the run's
 * flow (undefined when the flow is not at hand: wait and approval steps are
 * then still known from their records). Undefined for a run that has not
 * ended.
 */
export function runFigures(
  run: RunRecord,
  kindOf: (step: string) => StepKind | undefined,
): RunFigures | undefined {
  const { status } = run;
  if (status !== 'succeeded' && status !== 'failed' && status !== 'cancelled') return undefined;
  const endedAt = run.endedAt ? isoMs(run.endedAt) : Number.NaN;
  if (Number.isNaN(endedAt)) return undefined;
  const steps: StepFigures[] = [];
  const attemptErrors: string[] = [];
  for (const record of run.steps) {
    if (record.reused || !RAN.has(record.status) || !record.startedAt || !record.endedAt) continue;
    const durationMs = Math.max(0, isoMs(record.endedAt) - isoMs(record.startedAt));
    if (Number.isNaN(durationMs)) continue;
    const kind = kindOf(record.id) ?? (record.wait ? 'wait' : record.approval ? 'approval' : undefined);
    let waitingMs = kind && WAITING_KINDS.has(kind) ? durationMs : 0;
    for (const attempt of record.attempts) {
      waitingMs += attempt.waitedMs ?? 0;
      if (attempt.error) attemptErrors.push(attempt.error.code);
    }
    steps.push(stepFigures(record.id, durationMs, waitingMs, record.attempts));
  }
  const created = isoMs(run.createdAt);
  const figures: RunFigures = {
    flow: run.flow,
    status,
    endedAt,
    durationMs: Number.isNaN(created) ? 0 : Math.max(0, endedAt - created),
    attemptErrors,
    steps,
  };
  if (status !== 'succeeded' && run.error?.code) figures.errorCode = run.error.code;
  return figures;
}

/** A step's figures: attempts, retries (repeat attempts of one route and item) and fallback routes tried. */
function stepFigures(
  id: string,
  durationMs: number,
  waitingMs: number,
  attempts: readonly AttemptRecord[],
): StepFigures {
  // One attempt, the common step: no set of routes to make.
  if (attempts.length === 1) {
    const fallbacks = attempts[0]!.route > 0 ? 1 : 0;
    return { id, durationMs, waitingMs, attempts: 1, retries: 0, fallbacks };
  }
  const routes = new Set<string>();
  let fallbacks = 0;
  for (const attempt of attempts) {
    const key = `${attempt.item ?? -1}:${attempt.route}`;
    if (routes.has(key)) continue;
    routes.add(key);
    if (attempt.route > 0) fallbacks++;
  }
  return {
    id,
    durationMs,
    waitingMs,
    attempts: attempts.length,
    retries: attempts.length - routes.size,
    fallbacks,
  };
}
