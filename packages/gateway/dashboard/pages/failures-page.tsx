import type { FailureGroups } from '../api/types';
import { useApi } from '../api/use-api';
import { LoadError, StatusBadge, Time } from '../components/bits';
import { useNow, useTitle } from '../components/hooks';
import { ReplayGroupButton } from '../components/replay-group-button';
import { useLiveRefresh } from '../live/use-live';
import { ago } from '../model/format';
import { href, Link } from '../router';

/**
 * The dead letters: the retained failed and cancelled runs grouped by
 * flow, status and error code (`GET /api/runs/failures`), the latest group
 * first, each with its count, first and last occurrence, its latest run
 * a link to the flow's runs of that status, and "Replay these" (a bulk
 * replay of the group's filter). Refreshes when a run
 * fails or is cancelled.
 */
export function FailuresPage() {
  useTitle('Failed runs');
  const now = useNow(10_000);
  const failures = useApi<FailureGroups>('/runs/failures');
  useLiveRefresh(failures.reload, {
    pollMs: 10_000,
    match: (m) => m.event === 'run.ended' && (m.data.status === 'failed' || m.data.status === 'cancelled'),
  });
  const groups = failures.data?.groups ?? [];

  return (
    <>
      <h1 tabIndex={-1}>Failed runs</h1>
      <p class="hint">
        Failed and cancelled runs the hub still keeps (<code>retention.failed</code> in{' '}
        <code>baton.config.json</code>), grouped by flow and error code.
      </p>
      {failures.error ? <LoadError error={failures.error} what="the failed runs" /> : null}
      {failures.data && groups.length === 0 ? (
        <p class="empty">No failed or cancelled runs are kept.</p>
      ) : null}
      {groups.length > 0 ? (
        <table class="runs failures">
          <caption class="visually-hidden">
            Failed and cancelled runs by flow and error code, latest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Flow</th>
              <th scope="col">Error</th>
              <th scope="col">Runs</th>
              <th scope="col">First</th>
              <th scope="col">Last</th>
              <th scope="col">Latest run</th>
              <th scope="col">See</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr
                key={`${group.flow}:${group.status}:${group.errorCode ?? ''}`}
                data-flow={group.flow}
                data-error-code={group.errorCode ?? ''}
              >
                <td data-label="Status">
                  <StatusBadge status={group.status} />
                </td>
                <td data-label="Flow">
                  <Link href={href(`/flows/${encodeURIComponent(group.flow)}`)}>{group.flow}</Link>
                </td>
                <td data-label="Error">
                  <span class="mono">{group.errorCode ?? '(no code)'}</span>
                  {group.sampleMessage ? <div class="hint">{group.sampleMessage}</div> : null}
                </td>
                <td data-label="Runs" class="count">
                  {group.count}
                </td>
                <td data-label="First">
                  <Time iso={group.firstAt}>{ago(group.firstAt, now)}</Time>
                </td>
                <td data-label="Last">
                  <Time iso={group.lastAt}>{ago(group.lastAt, now)}</Time>
                </td>
                <td data-label="Latest run">
                  <Link href={href(`/runs/${encodeURIComponent(group.sampleRunId)}`)} class="mono">
                    {group.sampleRunId}
                  </Link>
                </td>
                <td data-label="See">
                  <Link href={href('/runs', { flow: group.flow, status: group.status })}>
                    {group.status} runs of {group.flow}
                  </Link>
                  <ReplayGroupButton group={group} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {failures.data?.truncated ? (
        <p class="hint">
          More failed runs are kept than were read: the groups count the newest {failures.data.scanned}.
        </p>
      ) : null}
    </>
  );
}
