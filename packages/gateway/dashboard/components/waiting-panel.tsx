import { useState } from 'preact/hooks';
import type { Run } from '../api/types';
import { awaitsDecision } from '../model/waiting';
import { DecisionForm, type DecisionOutcome, outcomeNotice } from './decision-form';
import { WaitFacts } from './wait-facts';

/**
 * The run page's steps that wait: what each waits for (an event, or a
 * decision with Approve and Reject), and what came of the last decision
 * made here. It stays mounted while the run refreshes, so the message
 * outlives the form of the step it decided.
 */
export function WaitingPanel({ run, onChanged }: { run: Run; onChanged: () => void }) {
  const [notice, setNotice] = useState<ReturnType<typeof outcomeNotice> | undefined>();
  const waiting = run.steps.filter((step) => step.status === 'waiting');
  if (waiting.length === 0 && !notice) return null;

  const decided = (stepId: string) => (outcome: DecisionOutcome) => {
    setNotice(outcomeNotice(outcome, `step ${stepId}`));
    onChanged();
  };

  return (
    <section class="panel waiting-panel" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">Waiting</h2>
      {notice ? (
        <p class={`notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      ) : null}
      {waiting.length === 0 ? <p class="hint">No step is waiting any more.</p> : null}
      <ul class="waiting-steps">
        {waiting.map((step) => (
          <li key={`${step.phase}:${step.id}`} data-step={step.id}>
            <h3>
              <span class="mono">{step.id}</span>{' '}
              {step.approval ? 'waits for a decision' : step.wait ? 'waits for an event' : 'waits'}
            </h3>
            <WaitFacts step={step} />
            {awaitsDecision(step) ? (
              <DecisionForm runId={run.id} step={step} onOutcome={decided(step.id)} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
