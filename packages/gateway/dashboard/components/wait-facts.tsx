import type { Step } from '../api/types';
import { decisionOf } from '../model/waiting';
import { Time } from './bits';

/**
 * What a wait or approval step waits for, or waited for: the event (type,
 * source and key) or the question put to the approver, since when, until
 * when, and the decision once made. Titles and details are rendered as
 * text: they are built from webhook data.
 */
export function WaitFacts({ step }: { step: Step }) {
  const { wait, approval } = step;
  if (!wait && !approval) return null;
  const decision = decisionOf(step);
  const since = wait?.since ?? approval!.since;
  const timeoutAt = wait?.timeoutAt ?? approval?.timeoutAt;
  const waiting = step.status === 'waiting';
  return (
    <dl class="facts wait-facts">
      {wait ? (
        <>
          <dt>{waiting ? 'Waits for' : 'Waited for'}</dt>
          <dd class="wait-for">
            <span class="mono">{wait.event}</span> from <span class="mono">{wait.source}</span> for{' '}
            <span class="mono">{wait.key}</span>
          </dd>
        </>
      ) : null}
      {approval ? (
        <>
          <dt>{waiting ? 'Asks' : 'Asked'}</dt>
          <dd class="approval-title">{approval.title}</dd>
          {approval.details ? (
            <>
              <dt>Details</dt>
              <dd class="approval-details">{approval.details}</dd>
            </>
          ) : null}
        </>
      ) : null}
      <dt>{waiting ? 'Waiting since' : 'Waited from'}</dt>
      <dd>
        <Time iso={since} />
      </dd>
      {timeoutAt && (waiting || step.error?.code === 'WAIT_TIMEOUT') ? (
        <>
          <dt>{waiting ? 'Times out at' : 'Timed out at'}</dt>
          <dd>
            <Time iso={timeoutAt} />
          </dd>
        </>
      ) : null}
      {decision ? (
        <>
          <dt>Decision</dt>
          <dd class="decision-made">
            {decision.decision === 'approve' ? 'Approved' : 'Rejected'} by {decision.by}
            {decision.at ? (
              <>
                {' '}
                at <Time iso={decision.at} />
              </>
            ) : null}
            {decision.comment ? `: ${decision.comment}` : ''}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
