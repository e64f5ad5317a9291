import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import { type Run, TERMINAL } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorDetails, JsonBlock, LoadError, StatusBadge, Time } from '../components/bits';
import { flash, useNow, useTitle } from '../components/hooks';
import { StepList } from '../components/step-list';
import { TimelineView } from '../components/timeline-view';
import { TurnNotice } from '../components/turn-notice';
import { WaitingPanel } from '../components/waiting-panel';
import { useLiveRefresh } from '../live/use-live';
import { between, formatDuration } from '../model/format';
import { href, Link, navigate } from '../router';

/**
 * One run: what started it, what its steps wait for (with Approve and
 * Reject for approvals), a timeline of its attempts and waits, each step's
 * input, output and error (redacted by the engine before they were stored),
 * the audit trail, and Replay and Cancel. While the run is active it
 * follows live events.
 */
export function RunPage({ id }: { id: string }) {
  useTitle(`Run ${id}`);
  const run = useApi<Run>(`/runs/${encodeURIComponent(id)}`);
  const active = !run.data || !TERMINAL.has(run.data.status);
  const now = useNow(1_000, active);
  useLiveRefresh(run.reload, { pollMs: 2_000, active, match: (m) => m.data.runId === id });
  // The page is mounted anew for each run (keyed by id), so a message left for it is read once here.
  const [notice] = useState<string | undefined>(() => flash.take());

  return (
    <>
      <h1 tabIndex={-1}>
        Run <span class="mono">{id}</span>
      </h1>
      {notice ? (
        <p class="notice success" role="status">
          {notice}
        </p>
      ) : null}
      {run.error ? <LoadError error={run.error} what="this run" /> : null}
      {run.data ? <RunDetails run={run.data} now={now} onChanged={run.reload} /> : null}
    </>
  );
}

function RunDetails({ run, now, onChanged }: { run: Run; now: number; onChanged: () => void }) {
  const took = between(run.startedAt ?? run.createdAt, run.endedAt);
  return (
    <>
      <section class="panel run-head" aria-label="Summary">
        <p class="run-status">
          <StatusBadge status={run.status} />
          {run.phase !== 'done' && run.phase !== 'main' ? <span class="phase">{run.phase}</span> : null}
        </p>
        <TurnNotice run={run} />
        <dl class="facts">
          <dt>Flow</dt>
          <dd>
            <Link href={href(`/flows/${encodeURIComponent(run.flow)}`)}>{run.flow}</Link>
          </dd>
          {run.flowVersion ? (
            <>
              <dt>Flow version</dt>
              <dd>
                <Link
                  href={href(`/flows/${encodeURIComponent(run.flow)}`, { from: run.flowVersion })}
                  class="mono"
                >
                  {run.flowVersion}
                </Link>{' '}
                <span class="hint">(the run ends on it, whatever was reloaded since)</span>
              </dd>
            </>
          ) : null}
          <dt>Trigger</dt>
          <dd>{run.trigger}</dd>
          <dt>Event</dt>
          <dd>
            <span class="mono">{run.event.type}</span> from {run.event.source} (
            <span class="mono">{run.event.id}</span>)
          </dd>
          <dt>Created</dt>
          <dd>
            <Time iso={run.createdAt} />
          </dd>
          {run.endedAt ? (
            <>
              <dt>Ended</dt>
              <dd>
                <Time iso={run.endedAt} /> {took !== undefined ? `(${formatDuration(took)})` : ''}
              </dd>
            </>
          ) : null}
          {run.orderKey !== undefined ? (
            <>
              <dt>Order key</dt>
              <dd class="mono">{run.orderKey}</dd>
            </>
          ) : null}
          {run.replayOf ? (
            <>
              <dt>Replay of</dt>
              <dd>
                <Link href={href(`/runs/${encodeURIComponent(run.replayOf)}`)} class="mono">
                  {run.replayOf}
                </Link>
              </dd>
            </>
          ) : null}
          {run.replayedBy ? (
            <>
              <dt>Replayed by</dt>
              <dd>
                <Link href={href(`/runs/${encodeURIComponent(run.replayedBy)}`)} class="mono">
                  {run.replayedBy}
                </Link>
              </dd>
            </>
          ) : null}
        </dl>
        <RunActions run={run} onChanged={onChanged} />
        {run.error ? <ErrorDetails error={run.error} /> : null}
      </section>
      <WaitingPanel run={run} onChanged={onChanged} />
      <TimelineView run={run} now={now} />
      <StepList run={run} />
      <section class="panel" aria-labelledby="more-heading">
        <h2 id="more-heading">Event and audit trail</h2>
        <details>
          <summary>Event data</summary>
          <JsonBlock value={run.event.data} label="Event data" />
        </details>
        {run.output !== null ? (
          <details>
            <summary>Run output</summary>
            <JsonBlock value={run.output} label="Run output" />
          </details>
        ) : null}
        {run.audit.length ? (
          <ul class="audit">
            {run.audit.map((entry, i) => (
              <li key={i} data-action={entry.action}>
                <Time iso={entry.at} />: {entry.action} by {entry.actor}
                {entry.detail ? ` (${entry.detail})` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p class="hint">Nobody has acted on this run.</p>
        )}
      </section>
    </>
  );
}

/** Replay (failed or cancelled runs) and Cancel (runs not ended), through the API. */
function RunActions({ run, onChanged }: { run: Run; onChanged: () => void }) {
  const [busy, setBusy] = useState<'replay' | 'cancel' | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const replayable = run.status === 'failed' || run.status === 'cancelled';
  const cancellable = !TERMINAL.has(run.status);

  const act = async (what: 'replay' | 'cancel') => {
    setBusy(what);
    setFailure(undefined);
    try {
      if (what === 'replay') {
        const { runId, duplicate } = await api<{ runId: string; duplicate?: true }>(
          `/runs/${encodeURIComponent(run.id)}/replay`,
          { method: 'POST' },
        );
        // A run is replayed once: a second replay shows the first one.
        flash.set(
          duplicate
            ? `Already replayed: run ${runId} replays ${run.id}.`
            : `Replay started: run ${runId} replays ${run.id}.`,
        );
        navigate(href(`/runs/${encodeURIComponent(runId)}`));
      } else {
        await api<Run>(`/runs/${encodeURIComponent(run.id)}/cancel`, { method: 'POST' });
        onChanged();
      }
    } catch (error) {
      setFailure(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="actions">
      <button
        type="button"
        class="primary"
        disabled={!replayable || busy !== undefined}
        onClick={() => act('replay')}
      >
        {busy === 'replay' ? 'Replaying…' : 'Replay'}
      </button>
      <button
        type="button"
        class="danger"
        disabled={!cancellable || busy !== undefined}
        onClick={() => act('cancel')}
      >
        {busy === 'cancel' ? 'Cancelling…' : 'Cancel run'}
      </button>
      <p class="hint">
        {replayable
          ? 'Replay starts a new run of this event and reuses the outputs of the steps that succeeded.'
          : cancellable
            ? 'Cancel stops the run: nothing more starts and calls in flight are aborted.'
            : 'Only failed or cancelled runs can be replayed.'}
      </p>
      {failure ? (
        <p class="notice error" role="alert">
          {failure}
        </p>
      ) : null}
    </div>
  );
}
