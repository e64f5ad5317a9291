import type { AttemptRecord, RunSummary, RunView, StepRecord } from '@baton/runtime';

/**
 * The API shape of a run: the stored record with every key of the contract
 * present (null when empty), so clients can rely on them; `orderKey` and
 * `waitingFor` only when the run has them.
 */
export function presentRun(run: RunView) {
  return {
    ...run,
    steps: run.steps.map(presentStep),
    output: run.output ?? null,
    error: run.error ?? null,
    startedAt: run.startedAt ?? null,
    endedAt: run.endedAt ?? null,
  };
}

function presentStep(step: StepRecord) {
  return {
    ...step,
    attempts: step.attempts.map(presentAttempt),
    output: step.output ?? null,
    error: step.error ?? null,
    startedAt: step.startedAt ?? null,
    endedAt: step.endedAt ?? null,
    ...(step.compensation
      ? { compensation: { ...step.compensation, attempts: step.compensation.attempts.map(presentAttempt) } }
      : {}),
  };
}

function presentAttempt(attempt: AttemptRecord) {
  return { ...attempt, error: attempt.error ?? null };
}

export function presentSummary(run: RunSummary) {
  return { ...run, endedAt: run.endedAt ?? null, error: run.error ?? null };
}
