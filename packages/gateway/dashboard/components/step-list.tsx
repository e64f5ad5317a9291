import type { Attempt, Run, Step } from '../api/types';
import { between, formatDuration } from '../model/format';
import { attemptLabel } from '../model/timeline';
import { ErrorDetails, JsonBlock, StatusBadge, Time } from './bits';
import { BudgetFacts } from './budget-facts';
import { WaitFacts } from './wait-facts';

/**
 * Every step of a run, each in a disclosure (failed and waiting ones open):
 * what it waits or waited for, its input, output and error as the engine
 * stored them (secrets already redacted), its attempts as a table, and its
 * compensation.
 */
export function StepList({ run }: { run: Run }) {
  return (
    <section class="panel" aria-labelledby="steps-heading">
      <h2 id="steps-heading">Steps</h2>
      <ul class="steps">
        {run.steps.map((step) => (
          <li key={`${step.phase}:${step.id}`} data-step={step.id}>
            <StepDetails step={step} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function StepDetails({ step }: { step: Step }) {
  const took = between(step.startedAt, step.endedAt);
  return (
    <details open={step.status === 'failed' || step.status === 'waiting'}>
      <summary>
        <span class="step-id mono">{step.id}</span> <StatusBadge status={step.status} />
        {step.phase === 'onFailure' ? <span class="tag">on failure</span> : null}
        {step.reused ? <span class="tag">reused</span> : null}
        {step.servedBy ? <span class="tag mono">served by {step.servedBy}</span> : null}
        {took !== undefined && !step.reused ? <span class="took">{formatDuration(took)}</span> : null}
      </summary>
      <div class="step-body">
        {step.skipReason ? <p>Skipped: {step.skipReason}</p> : null}
        <WaitFacts step={step} />
        <BudgetFacts step={step} />
        {step.wakeAt && !step.endedAt && !step.throttle ? (
          <p>
            Next attempt or end of delay at <Time iso={step.wakeAt} />
          </p>
        ) : null}
        {step.items ? (
          <p>
            Items: {step.items.succeeded} of {step.items.total} succeeded, {step.items.failed} failed
          </p>
        ) : null}
        {step.attempts.length ? (
          <AttemptTable attempts={step.attempts} caption={`Attempts of ${step.id}`} />
        ) : null}
        <h3>Input</h3>
        <JsonBlock value={step.input} label={`Input of ${step.id}`} />
        <h3>Output</h3>
        <JsonBlock value={step.output ?? undefined} label={`Output of ${step.id}`} />
        {step.error ? (
          <>
            <h3>Error</h3>
            <ErrorDetails error={step.error} />
          </>
        ) : null}
        {step.compensation ? (
          <>
            <h3>Compensation</h3>
            <p>
              <span class="mono">{step.compensation.action}</span>:{' '}
              <StatusBadge status={step.compensation.status} />
            </p>
            {step.compensation.attempts.length ? (
              <AttemptTable
                attempts={step.compensation.attempts}
                caption={`Compensation attempts of ${step.id}`}
                compensation
              />
            ) : null}
            {step.compensation.error ? <ErrorDetails error={step.compensation.error} /> : null}
          </>
        ) : null}
      </div>
    </details>
  );
}

function AttemptTable({
  attempts,
  caption,
  compensation = false,
}: {
  attempts: Attempt[];
  caption: string;
  compensation?: boolean;
}) {
  const counts = new Map<string, number>();
  return (
    <div class="table-scroll">
      <table class="attempts">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Attempt</th>
            <th scope="col">Action</th>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt, i) => {
            const key = `${attempt.route}|${attempt.item ?? ''}`;
            const n = (counts.get(key) ?? 0) + 1;
            counts.set(key, n);
            return (
              <tr key={i}>
                <td>
                  {attemptLabel(compensation ? 'compensation' : 'attempt', attempt.route, n, attempt.item)}
                </td>
                <td class="mono">{attempt.action}</td>
                <td>
                  <Time iso={attempt.startedAt} />
                </td>
                <td>{formatDuration(between(attempt.startedAt, attempt.endedAt) ?? Number.NaN)}</td>
                <td>
                  {attempt.error ? (
                    <span class="failed-text">
                      {attempt.error.code}: {attempt.error.message}
                    </span>
                  ) : (
                    'succeeded'
                  )}
                  {attemptNotes(attempt)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** What an attempt waited for before it went: its turn under the instance's limits, the provider's pauses. */
function attemptNotes(attempt: Attempt) {
  const notes: string[] = [];
  if (attempt.waitedMs) notes.push(`waited ${formatDuration(attempt.waitedMs)} for its turn`);
  if (attempt.throttled) {
    notes.push(
      `the provider asked to slow down ${attempt.throttled === 1 ? 'once' : `${attempt.throttled} times`}`,
    );
  }
  return notes.length ? <span class="muted"> · {notes.join(' · ')}</span> : null;
}
