import { type Connector, type HubStatus, RUN_STATUSES, type WebhookActivity } from '../api/types';
import { useApi } from '../api/use-api';
import { ActivityChart, outcomeGroup } from '../components/activity-chart';
import { LoadError, StatusBadge, Time } from '../components/bits';
import { useTitle } from '../components/hooks';
import { useLiveRefresh } from '../live/use-live';

/**
 * Is the hub well: the backend and its queue, each connector's circuit
 * breaker, and the webhooks each source sent in the last hour by outcome.
 * Follows webhook and run events live; the queue also moves without events,
 * so the page polls it as well.
 */
export function HealthPage() {
  useTitle('Health');
  const status = useApi<HubStatus>('/status');
  const connectors = useApi<{ connectors: Connector[] }>('/connectors');
  const activity = useApi<WebhookActivity>('/webhooks/activity');
  useLiveRefresh(
    () => {
      status.reload();
      connectors.reload();
      activity.reload();
    },
    {
      pollMs: 5_000,
      match: (m) => m.event === 'webhook' || m.event === 'run.ended' || m.event === 'step.ended',
    },
  );

  return (
    <>
      <h1 tabIndex={-1}>Health</h1>
      <section class="panel" aria-labelledby="backend-heading">
        <h2 id="backend-heading">Backend and queue</h2>
        {status.error ? <LoadError error={status.error} what="the status" /> : null}
        {status.data ? <BackendFacts status={status.data} /> : null}
      </section>

      <section class="panel" aria-labelledby="connectors-heading">
        <h2 id="connectors-heading">Connectors</h2>
        {connectors.error ? <LoadError error={connectors.error} what="the connectors" /> : null}
        <div class="table-scroll">
          <table class="connectors">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Connector</th>
                <th scope="col">Breaker</th>
                <th scope="col">Failures</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {(connectors.data?.connectors ?? []).map((c) => (
                <tr key={c.name} data-connector={c.name}>
                  <td class="mono">{c.name}</td>
                  <td>
                    {c.connector}
                    {c.version ? ` ${c.version}` : ''} <span class="hint mono">{c.use}</span>
                  </td>
                  <td>
                    <StatusBadge status={`breaker-${c.breaker.state}`} label={c.breaker.state} />
                  </td>
                  <td>{c.breaker.failures}</td>
                  <td>{c.breaker.openedAt ? <Time iso={c.breaker.openedAt} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="panel" aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">Webhooks in the last hour</h2>
        <p class="hint">
          Counted by this gateway process since it started; Prometheus has the totals of every process.
        </p>
        {activity.error ? <LoadError error={activity.error} what="the webhook activity" /> : null}
        {activity.data && activity.data.sources.length === 0 ? (
          <p class="empty">No webhooks in the last hour.</p>
        ) : null}
        <ul class="sources">
          {(activity.data?.sources ?? []).map((source) => (
            <li key={source.source} class="source" data-source={source.source}>
              <h3>
                {source.source} <span class="count">{source.total}</span>
              </h3>
              <ActivityChart activity={source} />
              <table class="outcomes">
                <caption class="visually-hidden">Outcomes of {source.source}</caption>
                <tbody>
                  {Object.entries(source.outcomes)
                    .sort(([, a], [, b]) => b - a)
                    .map(([outcome, n]) => (
                      <tr key={outcome} data-outcome={outcome}>
                        <th scope="row">
                          <span class={`swatch bar-${outcomeGroup(outcome)}`} /> {outcome}
                        </th>
                        <td>{n}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function BackendFacts({ status }: { status: HubStatus }) {
  const { backend, queue, runs } = status;
  return (
    <dl class="facts">
      <dt>Backend</dt>
      <dd>
        {backend.name} {backend.durable ? '(durable)' : '(in memory: a restart loses runs and queued work)'}
      </dd>
      <dt>Reachable</dt>
      <dd>{backend.reachable ? 'yes' : `no: ${backend.error ?? 'no answer'}`}</dd>
      {status.draining ? (
        <>
          <dt>State</dt>
          <dd>draining (shutting down)</dd>
        </>
      ) : null}
      <dt>Queue</dt>
      <dd data-testid="queue">
        {queue
          ? `${queue.waiting} waiting, ${queue.delayed} delayed (retries, delays), ${queue.active} active`
          : 'unknown'}
      </dd>
      <dt>Runs held</dt>
      <dd>{runs ? RUN_STATUSES.map((s) => `${runs[s]} ${s}`).join(', ') : 'unknown'}</dd>
    </dl>
  );
}
