import { useState } from 'preact/hooks';
import { useLoad } from '../api/use-api';
import { loadWaitingRuns, WAITING_RUNS_LIMIT, type WaitingRuns } from '../api/waiting-runs';
import { LoadError, Time } from '../components/bits';
import { DecisionForm, type DecisionOutcome, outcomeNotice } from '../components/decision-form';
import { useNow, useTitle } from '../components/hooks';
import { useLiveRefresh } from '../live/use-live';
import { ago } from '../model/format';
import { pendingApprovals } from '../model/waiting';
import { href, Link } from '../router';

/**
 * Every approval step waiting for a decision, across runs, the longest
 * waiting first, each with Approve and Reject. It reads the newest waiting
 * runs (at most WAITING_RUNS_LIMIT, one request each) and refreshes when a
 * step starts waiting or one of the runs shown moves on.
 */
export function ApprovalsPage() {
  useTitle('Waiting for a decision');
  const now = useNow(10_000);
  const waiting = useLoad<WaitingRuns>('waiting', loadWaitingRuns);
  const [notice, setNotice] = useState<ReturnType<typeof outcomeNotice> | undefined>();
  const shown = new Set(waiting.data?.runs.map((run) => run.id));
  useLiveRefresh(waiting.reload, {
    pollMs: 5_000,
    match: (m) =>
      m.event === 'step.waiting' ||
      ((m.event === 'step.ended' || m.event === 'run.ended') && shown.has(String(m.data.runId))),
  });
  const approvals = pendingApprovals(waiting.data?.runs ?? []);

  const decided = (what: string) => (outcome: DecisionOutcome) => {
    setNotice(outcomeNotice(outcome, what));
    waiting.reload();
  };

  return (
    <>
      <h1 tabIndex={-1}>Waiting for a decision</h1>
      <p class="hint">
        Approval steps waiting for someone to approve or reject them. A decision is recorded in the run's
        audit trail, under the name given below (or as <code>dashboard</code>).
      </p>
      {notice ? (
        <p class={`notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      ) : null}
      {waiting.error ? <LoadError error={waiting.error} what="the waiting runs" /> : null}
      {waiting.data && approvals.length === 0 ? (
        <p class="empty">Nothing is waiting for a decision.</p>
      ) : null}
      <ul class="approvals">
        {approvals.map(({ run, step }) => (
          <li key={`${run.id}:${step.id}`} class="panel approval" data-run={run.id} data-step={step.id}>
            <h2 class="approval-title">{step.approval.title}</h2>
            {step.approval.details ? <p class="approval-details">{step.approval.details}</p> : null}
            <dl class="facts">
              <dt>Flow</dt>
              <dd>
                <Link href={href(`/flows/${encodeURIComponent(run.flow)}`)}>{run.flow}</Link>
              </dd>
              <dt>Run</dt>
              <dd>
                <Link href={href(`/runs/${encodeURIComponent(run.id)}`)} class="mono">
                  {run.id}
                </Link>{' '}
                (step <span class="mono">{step.id}</span>)
              </dd>
              <dt>Waiting since</dt>
              <dd>
                <Time iso={step.approval.since} /> ({ago(step.approval.since, now)})
              </dd>
              {step.approval.timeoutAt ? (
                <>
                  <dt>Times out at</dt>
                  <dd>
                    <Time iso={step.approval.timeoutAt} />
                  </dd>
                </>
              ) : null}
            </dl>
            <DecisionForm
              runId={run.id}
              step={step}
              onOutcome={decided(`step ${step.id} of run ${run.id}`)}
            />
          </li>
        ))}
      </ul>
      {waiting.data?.more ? (
        <p class="hint">
          Only the newest {WAITING_RUNS_LIMIT} waiting runs were read.{' '}
          <Link href={href('/runs', { status: 'waiting' })}>See every waiting run</Link>.
        </p>
      ) : null}
    </>
  );
}
