import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { approverName, decideStep } from '../api/decisions';
import type { Step, StepApproval } from '../api/types';
import { useExternal } from './hooks';

/** What came of a click on Approve or Reject, for the page to say and to refresh on. */
export type DecisionOutcome =
  | { kind: 'decided'; decision: 'approve' | 'reject' }
  /** The step was not waiting any more (409 STEP_NOT_WAITING): someone decided first, or it ended. */
  | { kind: 'conflict' };

/**
 * Approve and Reject for an approval step waiting for a decision, with an
 * optional comment and the approver's name (remembered in this browser;
 * left empty, the API records the dashboard's actor). A 409 is handed to
 * the page, which says so and refreshes; other failures are shown here.
 */
export function DecisionForm({
  runId,
  step,
  onOutcome,
}: {
  runId: string;
  step: Step & { approval: StepApproval };
  onOutcome: (outcome: DecisionOutcome) => void;
}) {
  const name = useExternal(approverName.subscribe, approverName.get);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(decision);
    setFailure(undefined);
    try {
      await decideStep(runId, step.id, { decision, by: name, comment });
      onOutcome({ kind: 'decided', decision });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) onOutcome({ kind: 'conflict' });
      else setFailure(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <fieldset class="decision" data-step={step.id}>
      <legend class="visually-hidden">
        Decide step {step.id}: {step.approval.title}
      </legend>
      <label class="decision-comment">
        <span>
          Comment <span class="hint">(optional)</span>
        </span>
        <textarea
          name="comment"
          rows={2}
          maxLength={2000}
          value={comment}
          onInput={(event) => setComment(event.currentTarget.value)}
        />
      </label>
      <label class="decision-by">
        <span>
          Your name <span class="hint">(remembered in this browser)</span>
        </span>
        <input
          name="by"
          type="text"
          autocomplete="name"
          maxLength={200}
          placeholder="dashboard"
          value={name}
          onInput={(event) => approverName.set(event.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button type="button" class="primary" disabled={busy !== undefined} onClick={() => decide('approve')}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
        <button type="button" class="danger" disabled={busy !== undefined} onClick={() => decide('reject')}>
          {busy === 'reject' ? 'Rejecting…' : 'Reject'}
        </button>
      </div>
      {failure ? (
        <p class="notice error" role="alert">
          Could not record the decision: {failure}
        </p>
      ) : null}
    </fieldset>
  );
}

/** What the page says after a decision, as `{ tone, text }` for a notice. */
export function outcomeNotice(
  outcome: DecisionOutcome,
  what: string,
): { tone: 'success' | 'error'; text: string } {
  if (outcome.kind === 'conflict')
    return {
      tone: 'error',
      text: `Your decision was not recorded: ${what} is no longer waiting (someone decided first, or it timed out or was cancelled). Showing it as it is now.`,
    };
  return {
    tone: 'success',
    text: `${outcome.decision === 'approve' ? 'Approved' : 'Rejected'} ${what}.`,
  };
}
