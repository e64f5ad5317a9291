import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { checkConnectorNow, loadConnectorHealth } from '../api/connector-health';
import { type Connector, type HubStatus, RUN_STATUSES, type WebhookActivity } from '../api/types';
import { useApi, useLoad } from '../api/use-api';
import { ActivityChart, outcomeGroup } from '../components/activity-chart';
import { LoadError } from '../components/bits';
import { ConnectorHealthTable } from '../components/connector-health-table';
import { useNow, useTitle } from '../components/hooks';
import { useLiveRefresh } from '../live/use-live';

/**
 * Is the hub well: the backend and its queue, each connector instance's
 * credentials, last credentials check, circuit breaker and provider budget
 * (with a button to check it again now), and the webhooks each source sent
 * in the last hour by outcome. Follows webhook and run events live; the
 * queue also moves without events, so the page polls it as well.
 */
export function HealthPage() {
  useTitle('Health');
  const status = useApi<HubStatus>('/status');
  const connectors = useApi<{ connectors: Connector[] }>('/connectors');
  const activity = useApi<WebhookActivity>('/webhooks/activity');
  const names = (connectors.data?.connectors ?? []).map((c) => c.name);
  // Each instance's check is remembered 15 s by the gateway: reading it this often calls no provider more.
  const health = useLoad(connectors.data ? `health:${names.join(',')}` : null, () =>
    loadConnectorHealth(names),
  );
  const [checking, setChecking] = useState<ReadonlySet<string>>(new Set());
  const [checked, setChecked] = useState<
    Record<string, Awaited<ReturnType<typeof checkConnectorNow>> | ApiError>
  >({});
  // Until the page's next read of every instance, which has the same result, shows it.
  useEffect(() => setChecked({}), [health.data]);
  const now = useNow(10_000);
  useLiveRefresh(
    () => {
      status.reload();
      connectors.reload();
      activity.reload();
      health.reload();
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
        <p class="hint">
          Each instance's credentials are checked with one cheap call to its provider; a result is kept for 15
          s. <strong>Needs reconnect</strong>: the provider refused the credentials; put new ones in the
          config and restart.
        </p>
        {connectors.error ? <LoadError error={connectors.error} what="the connectors" /> : null}
        <ConnectorHealthTable
          connectors={connectors.data?.connectors ?? []}
          health={{ ...health.data, ...checked }}
          checking={checking}
          now={now}
          onCheck={(name) => {
            setChecking((s) => new Set([...s, name]));
            checkConnectorNow(name)
              .catch((error: unknown) =>
                error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)),
              )
              .then((answer) => {
                setChecked((c) => ({ ...c, [name]: answer }));
                setChecking((s) => new Set([...s].filter((n) => n !== name)));
                connectors.reload();
                health.reload();
              });
          }}
        />
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
