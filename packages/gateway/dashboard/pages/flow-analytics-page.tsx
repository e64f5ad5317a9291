import type { ComponentChildren } from 'preact';
import type { FlowAnalytics } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorCountTable, Percentile, StepAnalyticsTable } from '../components/analytics-tables';
import { LoadError, Time } from '../components/bits';
import { useTitle } from '../components/hooks';
import { useLiveRefresh } from '../live/use-live';
import {
  ANALYTICS_WINDOWS,
  type AnalyticsWindow,
  analyticsWindow,
  formatRate,
} from '../model/analytics-format';
import { formatDuration } from '../model/format';
import { href, Link, navigate, useLocation } from '../router';

/**
 * How a flow is doing over the last hour, day or week (the window kept in
 * the address): runs by status, success rate, run and step duration
 * percentiles, retries, fallbacks, breaker openings, time waiting and the
 * top error codes, from `GET /api/flows/:id/analytics`. Refreshes when a run
 * of the flow ends.
 */
export function FlowAnalyticsPage({ id }: { id: string }) {
  useTitle(`Analytics of ${id}`);
  const chosen = analyticsWindow(useLocation().query.get('window'));
  const path = `/flows/${encodeURIComponent(id)}`;
  const analytics = useApi<FlowAnalytics>(`${path}/analytics?window=${chosen}`);
  useLiveRefresh(analytics.reload, {
    pollMs: 15_000,
    match: (m) => m.event === 'run.ended' && m.data.flow === id,
  });
  const data = analytics.data;

  return (
    <>
      <h1 tabIndex={-1}>
        Analytics of <span class="mono">{id}</span>
      </h1>
      <p>
        <Link href={href(path)}>the flow</Link> · <Link href={href('/runs', { flow: id })}>its runs</Link>
      </p>
      <WindowChooser
        value={chosen}
        onChange={(next) => navigate(href(`${path}/analytics`, { window: next }), { replace: true })}
      />
      {analytics.error ? <LoadError error={analytics.error} what="the analytics" /> : null}
      {data ? <Figures data={data} window={chosen} /> : null}
    </>
  );
}

function WindowChooser({ value, onChange }: { value: AnalyticsWindow; onChange: (next: string) => void }) {
  return (
    <fieldset class="window-choice">
      <legend>Window</legend>
      {Object.entries(ANALYTICS_WINDOWS).map(([key, label]) => (
        <label key={key}>
          <input
            type="radio"
            name="analytics-window"
            value={key}
            checked={key === value}
            onChange={() => onChange(key)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

function Figures({ data, window }: { data: FlowAnalytics; window: AnalyticsWindow }) {
  const opened = data.breakers.filter((b) => b.openings > 0);
  return (
    <>
      <p class="hint">
        Runs that ended from <Time iso={data.window.since} /> to <Time iso={data.window.until} />, counted by{' '}
        {data.window.bucket === '1m' ? 'minute' : 'hour'} as they ended. Durations are estimates from
        histogram buckets: each shows the bucket the true value lies in.
      </p>
      {data.runs.total === 0 ? (
        <p class="empty">No run of this flow ended in the {ANALYTICS_WINDOWS[window].toLowerCase()}.</p>
      ) : null}
      <section class="panel" aria-labelledby="runs-heading">
        <h2 id="runs-heading">Runs</h2>
        <dl class="facts analytics-facts">
          <Fact name="total" label="Ended">
            {data.runs.total}
          </Fact>
          <Fact name="succeeded" label="Succeeded">
            {data.runs.succeeded}
          </Fact>
          <Fact name="failed" label="Failed">
            {data.runs.failed}
          </Fact>
          <Fact name="cancelled" label="Cancelled">
            {data.runs.cancelled}
          </Fact>
          <Fact name="success-rate" label="Success rate">
            {formatRate(data.successRate)}
          </Fact>
          <Fact name="p50" label="Duration p50">
            <Percentile value={data.duration.p50} />
          </Fact>
          <Fact name="p95" label="Duration p95">
            <Percentile value={data.duration.p95} />
          </Fact>
          <Fact name="retries" label="Retries">
            {data.retries}
          </Fact>
          <Fact name="fallbacks" label="Fallbacks taken">
            {data.fallbacks}
          </Fact>
          <Fact name="breaker-openings" label="Breaker openings">
            {data.breakerOpenings}
            {opened.length ? ` (${opened.map((b) => `${b.instance}: ${b.openings}`).join(', ')})` : ''}
          </Fact>
          <Fact name="waiting" label="Time waiting">
            {formatDuration(data.waitingMs)}
          </Fact>
        </dl>
      </section>
      {data.steps.length ? (
        <section class="panel" aria-labelledby="steps-heading">
          <h2 id="steps-heading">Steps</h2>
          <StepAnalyticsTable steps={data.steps} />
        </section>
      ) : null}
      {data.topErrors.length || data.topAttemptErrors.length ? (
        <section class="panel" aria-labelledby="errors-heading">
          <h2 id="errors-heading">Top errors</h2>
          {data.topErrors.length ? (
            <div class="errors-runs">
              <h3>Why runs failed</h3>
              <ErrorCountTable errors={data.topErrors} caption="Run errors by code" counted="Runs" />
            </div>
          ) : null}
          {data.topAttemptErrors.length ? (
            <div class="errors-attempts">
              <h3>Failed attempts (retried or not)</h3>
              <ErrorCountTable
                errors={data.topAttemptErrors}
                caption="Failed attempts by error code"
                counted="Attempts"
              />
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function Fact({ name, label, children }: { name: string; label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-figure={name}>{children}</dd>
    </>
  );
}
