import type { ApiError } from '../api/client';
import type { HealthByInstance } from '../api/connector-health';
import type { Connector, ConnectorHealth, CredentialState } from '../api/types';
import { ago, formatDuration } from '../model/format';
import { StatusBadge, Time } from './bits';

const CHECK_LABEL: Record<ConnectorHealth['status'], string> = {
  ok: 'ok',
  'needs-reconnect': 'refused',
  failing: 'failing',
  unchecked: 'no check',
};

/**
 * One row per connector instance: its credentials (a "needs reconnect"
 * badge with the provider's reason), its last credentials check, its
 * breaker, its provider budget, and a button that checks it again now.
 */
export function ConnectorHealthTable(props: {
  connectors: Connector[];
  health: HealthByInstance | undefined;
  /** Instances being checked now. */
  checking: ReadonlySet<string>;
  onCheck: (name: string) => void;
  now: number;
}) {
  return (
    <div class="table-scroll">
      <table class="connectors">
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">Connector</th>
            <th scope="col">Credentials</th>
            <th scope="col">Last check</th>
            <th scope="col">Breaker</th>
            <th scope="col">Budget</th>
            {/* Named by aria-label: a visually hidden span is positioned outside the scrolling box. */}
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {props.connectors.map((c) => {
            const health = props.health?.[c.name];
            const known = health && !isError(health) ? health : undefined;
            const checking = props.checking.has(c.name);
            return (
              <tr key={c.name} data-connector={c.name}>
                <td class="mono">{c.name}</td>
                <td>
                  {c.connector}
                  {c.version ? ` ${c.version}` : ''} <span class="hint mono">{c.use}</span>
                </td>
                <td data-cell="credentials">
                  <Credentials credentials={known?.credentials ?? c.credentials} now={props.now} />
                </td>
                <td data-cell="check" aria-busy={checking ? 'true' : undefined}>
                  {health && isError(health) ? (
                    <span class="failed-text">could not ask: {health.message}</span>
                  ) : (
                    <LastCheck health={known} now={props.now} />
                  )}
                </td>
                <td data-cell="breaker">
                  <StatusBadge status={`breaker-${c.breaker.state}`} label={c.breaker.state} />
                  <div class="hint">
                    {c.breaker.failures} failure{c.breaker.failures === 1 ? '' : 's'}
                    {c.breaker.openedAt ? (
                      <>
                        , opened <Time iso={c.breaker.openedAt}>{ago(c.breaker.openedAt, props.now)}</Time>
                      </>
                    ) : null}
                  </div>
                </td>
                <td data-cell="budget">
                  <Budget limits={known?.limits} />
                </td>
                <td>
                  <button
                    type="button"
                    disabled={checking}
                    aria-label={`Check ${c.name} now`}
                    onClick={() => props.onCheck(c.name)}
                  >
                    {checking ? 'Checking…' : 'Check now'}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Credentials({ credentials, now }: { credentials: CredentialState; now: number }) {
  switch (credentials.state) {
    case 'needs-reconnect':
      return (
        <>
          <StatusBadge status="needs-reconnect" label="needs reconnect" />
          {credentials.reason ? <div class="reason">{credentials.reason}</div> : null}
          <div class="hint">Put new credentials in the config and restart.</div>
        </>
      );
    case 'valid':
      return (
        <>
          <StatusBadge status="credentials-valid" label="valid" />
          {credentials.expiresAt ? (
            <div class="hint">
              token expires <Time iso={credentials.expiresAt} />
            </div>
          ) : null}
          {credentials.refreshedAt ? (
            <div class="hint">
              fetched <Time iso={credentials.refreshedAt}>{ago(credentials.refreshedAt, now)}</Time>
            </div>
          ) : null}
        </>
      );
    case 'unknown':
      return (
        <>
          <StatusBadge status="credentials-unknown" label="no token yet" />
          {credentials.reason ? <div class="hint">{credentials.reason}</div> : null}
        </>
      );
    case 'none':
      return <span class="hint">static (no OAuth2)</span>;
  }
}

function LastCheck({ health, now }: { health: ConnectorHealth | undefined; now: number }) {
  if (!health) return <span class="hint">…</span>;
  if (health.status === 'unchecked') return <span class="hint">the connector has no check</span>;
  return (
    <>
      <StatusBadge status={`check-${health.status}`} label={CHECK_LABEL[health.status]} />
      {health.checkedAt ? (
        <div class="hint">
          <Time iso={health.checkedAt}>{ago(health.checkedAt, now)}</Time>
          {health.durationMs !== null ? `, took ${formatDuration(health.durationMs)}` : ''}
        </div>
      ) : null}
      {health.error ? (
        <div class="reason">
          <strong>{health.error.code}</strong>: {health.error.message}
        </div>
      ) : null}
    </>
  );
}

function Budget({ limits }: { limits: ConnectorHealth['limits'] }) {
  if (!limits) return <span class="hint">—</span>;
  return (
    <>
      <div>
        {limits.inFlight} in flight · {limits.inWindow} in window · {limits.waiting} waiting
      </div>
      {limits.pausedUntil ? (
        <div class="tag warn">
          paused until <Time iso={limits.pausedUntil} />
        </div>
      ) : null}
    </>
  );
}

function isError(value: ConnectorHealth | ApiError): value is ApiError {
  return value instanceof Error;
}
