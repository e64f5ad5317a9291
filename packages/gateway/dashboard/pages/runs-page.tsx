import { api } from '../api/client';
import {
  type FlowSummary,
  type HubStatus,
  RUN_STATUSES,
  type RunStatus,
  type RunsPage as RunsAnswer,
} from '../api/types';
import { useApi, useLoad } from '../api/use-api';
import { LoadError, StatusBadge, Time } from '../components/bits';
import { BulkReplayPanel } from '../components/bulk-replay-panel';
import { useNow, useTitle } from '../components/hooks';
import { useLiveRefresh } from '../live/use-live';
import { ago, between, formatDuration } from '../model/format';
import { href, Link, navigate, useLocation } from '../router';

/** The time ranges offered, by query value. */
const RANGES: Record<string, { label: string; ms: number }> = {
  '15m': { label: 'last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'last hour', ms: 3_600_000 },
  '24h': { label: 'last 24 hours', ms: 86_400_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000 },
};
const PAGE = 50;
const MAX = 500;

/**
 * Runs, newest first, with filters kept in the address (so a filtered view
 * can be shared), counts by status that also filter, and live updates: a
 * run that starts or ends anywhere this gateway sees shows up without a
 * reload.
 */
export function RunsPage() {
  useTitle('Runs');
  const { query } = useLocation();
  const flow = query.get('flow') ?? '';
  const status = (query.get('status') ?? '') as RunStatus | '';
  const range = RANGES[query.get('range') ?? ''] ? (query.get('range') as string) : '';
  const limit = Math.min(MAX, Math.max(PAGE, Number(query.get('limit')) || PAGE));
  const now = useNow(10_000);

  const flows = useApi<{ flows: FlowSummary[] }>('/flows');
  const hub = useApi<HubStatus>('/status');
  const key = `flow=${flow}&status=${status}&range=${range}&limit=${limit}`;
  const runs = useLoad<RunsAnswer>(key, () => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (flow) params.set('flow', flow);
    if (status) params.set('status', status);
    // Computed at each fetch, so "last 15 minutes" keeps meaning that on a page left open.
    if (range) params.set('since', new Date(Date.now() - RANGES[range]!.ms).toISOString());
    return api<RunsAnswer>(`/runs?${params}`);
  });
  useLiveRefresh(
    () => {
      runs.reload();
      hub.reload();
    },
    { pollMs: 3_000, match: (m) => m.event.startsWith('run.') || m.event === 'webhook' },
  );

  const setFilter = (name: string, value: string) => {
    const next = { flow, status, range, [name]: value };
    navigate(href('/runs', next), { replace: true });
  };
  const counts = hub.data?.runs;
  const total = counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : undefined;

  return (
    <>
      <h1 tabIndex={-1}>Runs</h1>
      <form class="filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label>
          Flow
          <select value={flow} onChange={(e) => setFilter('flow', e.currentTarget.value)}>
            <option value="">all flows</option>
            {(flows.data?.flows ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setFilter('status', e.currentTarget.value)}>
            <option value="">any status</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Created
          <select value={range} onChange={(e) => setFilter('range', e.currentTarget.value)}>
            <option value="">any time</option>
            {Object.entries(RANGES).map(([value, r]) => (
              <option key={value} value={value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </form>

      <fieldset class="counts">
        <legend class="visually-hidden">Runs by status (all flows); choose one to filter</legend>
        <button type="button" aria-pressed={status === ''} onClick={() => setFilter('status', '')}>
          all <span class="count">{total ?? '…'}</span>
        </button>
        {RUN_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            class={`status-${s}`}
            aria-pressed={status === s}
            data-status={s}
            onClick={() => setFilter('status', status === s ? '' : s)}
          >
            {s} <span class="count">{counts ? counts[s] : '…'}</span>
          </button>
        ))}
      </fieldset>

      {status === 'failed' || status === 'cancelled' ? (
        <BulkReplayPanel
          flow={flow}
          status={status}
          {...(range ? { since: () => new Date(Date.now() - RANGES[range]!.ms).toISOString() } : {})}
        />
      ) : null}

      {runs.error ? <LoadError error={runs.error} what="the runs" /> : null}
      {runs.data && runs.data.runs.length === 0 ? (
        <p class="empty">No runs{flow || status || range ? ' match these filters' : ' yet'}.</p>
      ) : null}
      {runs.data && runs.data.runs.length > 0 ? (
        <table class="runs">
          <caption class="visually-hidden">Runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Run</th>
              <th scope="col">Flow</th>
              <th scope="col">Event</th>
              <th scope="col">Trigger</th>
              <th scope="col">Created</th>
              <th scope="col">Took</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.runs.map((run) => {
              const took = between(run.createdAt, run.endedAt);
              return (
                <tr key={run.id} data-run={run.id}>
                  <td data-label="Status">
                    <StatusBadge status={run.status} />
                  </td>
                  <td data-label="Run">
                    <Link href={href(`/runs/${encodeURIComponent(run.id)}`)} class="mono">
                      {run.id}
                    </Link>
                  </td>
                  <td data-label="Flow">{run.flow}</td>
                  <td data-label="Event" class="mono">
                    {run.eventType}
                  </td>
                  <td data-label="Trigger">{run.trigger === 'replay' ? `replay` : run.trigger}</td>
                  <td data-label="Created">
                    <Time iso={run.createdAt}>{ago(run.createdAt, now)}</Time>
                  </td>
                  <td data-label="Took">{took === undefined ? '…' : formatDuration(took)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {runs.data?.next ? (
        limit < MAX ? (
          <button type="button" class="more" onClick={() => setFilter('limit', String(limit + PAGE))}>
            Show {PAGE} more
          </button>
        ) : (
          <p class="hint">Showing the newest {MAX}; narrow the filters to see older runs.</p>
        )
      ) : null}
    </>
  );
}
