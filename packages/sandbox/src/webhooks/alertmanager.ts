import { createHash } from 'node:crypto';

type Data = Record<string, unknown>;

/** Load, in percent of capacity, above which the surge alert fires. */
const THRESHOLD = 80;

/**
 * A traffic surge as Prometheus Alertmanager posts it to a webhook receiver
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config):
 * one `HighTrafficLoad` alert with the load in percent as the `load` label
 * (a string, as every label), as the annotation `load` (`"92%"`) and as the
 * number `values.load`. `load` (default 92), `region` (`eu-west`), `service`
 * (`storefront`), `severity` (`critical` from 90 %, else `warning`) and
 * `status` (`firing` or `resolved`) shape it; other fields are laid over the
 * payload.
 */
export function trafficSurge(overrides: Data): Data {
  const { load: rawLoad, region: rawRegion, service: rawService, severity, status, ...rest } = overrides;
  const load = typeof rawLoad === 'number' ? rawLoad : 92;
  const region = typeof rawRegion === 'string' ? rawRegion : 'eu-west';
  const service = typeof rawService === 'string' ? rawService : 'storefront';
  const state = status === 'resolved' ? 'resolved' : 'firing';
  const now = Date.now();
  const labels = {
    alertname: 'HighTrafficLoad',
    instance: `lb-1.${region}.acme.internal:9100`,
    job: 'load-balancer',
    region,
    service,
    severity: typeof severity === 'string' ? severity : load >= 90 ? 'critical' : 'warning',
    load: String(load),
  };
  const annotations = {
    summary: `Traffic load at ${load}% in ${region}`,
    description: `Requests to ${service} in ${region} have run above ${THRESHOLD}% of capacity for 5 minutes (now ${load}%).`,
    load: `${load}%`,
    runbook_url: 'https://runbooks.acme.example/traffic-surge',
  };
  const expr = `sum by (region, service) (rate(http_requests_total{service="${service}"}[5m])) / sum by (region, service) (capacity_requests_per_second) * 100 > ${THRESHOLD}`;
  const alert = {
    status: state,
    labels,
    annotations,
    startsAt: new Date(now - 5 * 60_000).toISOString(),
    // Alertmanager's zero time: the alert has not ended.
    endsAt: state === 'resolved' ? new Date(now).toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus.acme.example:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`,
    fingerprint: fingerprint(labels),
    values: { load },
  };
  return {
    version: '4',
    groupKey: `{}:{alertname="HighTrafficLoad", region="${region}"}`,
    truncatedAlerts: 0,
    status: state,
    receiver: 'baton',
    groupLabels: { alertname: 'HighTrafficLoad', region },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://alertmanager.acme.example:9093',
    alerts: [alert],
    ...rest,
  };
}

/** 16 hex digits from the sorted labels, as Alertmanager identifies an alert. */
function fingerprint(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
