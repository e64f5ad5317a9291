import type { Backend, Engine } from '@baton/runtime';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ConnectorHealth } from './connector-health';
import { registerCredentialsGauge } from './credentials-metric';
import { createWebhookActivity, type WebhookActivity } from './webhook-activity';

/** The gateway's Prometheus metrics. Labels are of low cardinality: never run or event ids. */
export interface GatewayMetrics {
  registry: Registry;
  /** Counts a webhook by source and outcome (`accepted`, `duplicate`, `signature_invalid` …). */
  webhook(source: string, outcome: string): void;
  /** The same outcomes per minute over the last hour, for the dashboard. */
  activity: WebhookActivity;
}

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** Clock of the webhook activity buckets. @default Date.now */
  now?: () => number;
  /** The gateway's connector health checks: with them, `baton_connector_credentials_valid` per instance. */
  health?: ConnectorHealth;
}

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Registers the metrics operators alert on: webhooks by source and outcome,
 * runs by flow and status, step durations, retries and reroutes (from this
 * process's engine), and, read at each scrape, breaker states, queue depth,
 * runs by status and whether each instance's credentials work.
 */
export function createMetrics(
  engine: Engine,
  backend: Backend,
  options: MetricsOptions = {},
): GatewayMetrics {
  const registry = new Registry();
  const activity = createWebhookActivity(options.now ? { now: options.now } : {});
  collectDefaultMetrics({ register: registry, prefix: 'baton_' });

  const webhooks = new Counter({
    name: 'baton_webhooks_received_total',
    help: 'Webhooks received, by source and outcome.',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  const webhookCounters = new Map<string, ReturnType<typeof webhooks.labels>>();
  const runs = new Counter({
    name: 'baton_runs_finished_total',
    help: 'Runs that ended in this process, by flow and status.',
    labelNames: ['flow', 'status'],
    registers: [registry],
  });
  const steps = new Histogram({
    name: 'baton_step_duration_seconds',
    help: 'Duration of steps that ended in this process, by flow, step and status.',
    labelNames: ['flow', 'step', 'status'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'baton_step_retries_total',
    help: 'Failed attempts that were retried, by flow and step.',
    labelNames: ['flow', 'step'],
    registers: [registry],
  });
  const reroutes = new Counter({
    name: 'baton_step_reroutes_total',
    help: 'Steps rerouted to a fallback, by flow and step.',
    labelNames: ['flow', 'step'],
    registers: [registry],
  });
  new Gauge({
    name: 'baton_breaker_state',
    help: 'Circuit breaker state per connector instance: 0 closed, 1 half-open, 2 open.',
    labelNames: ['connector'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const name of instanceNames(engine)) this.set({ connector: name }, 0);
      for (const [name, snapshot] of Object.entries(await engine.breakerStates().catch(() => ({})))) {
        this.set({ connector: name }, BREAKER_VALUE[snapshot.state]);
      }
    },
  });
  new Gauge({
    name: 'baton_queue_depth',
    help: 'Tasks in the queue, by state (waiting, delayed, active).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const depth = await backend.queue.depth().catch(() => undefined);
      if (!depth) return;
      for (const [state, value] of Object.entries(depth)) this.set({ state }, value);
    },
  });
  new Gauge({
    name: 'baton_runs',
    help: 'Runs held by the backend, by status.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await backend.runs.counts().catch(() => undefined);
      if (!counts) return;
      for (const [status, value] of Object.entries(counts)) this.set({ status }, value);
    },
  });
  new Gauge({
    name: 'baton_runs_waiting',
    help: 'Runs waiting: for an event, a decision, a delay or a retry (no worker holds them).',
    registers: [registry],
    async collect() {
      const counts = await backend.runs.counts().catch(() => undefined);
      if (counts) this.set(counts.waiting ?? 0);
    },
  });

  if (options.health) registerCredentialsGauge(registry, options.health);

  engine.on((event) => {
    switch (event.type) {
      case 'run.ended':
        runs.inc({ flow: event.flow, status: event.status });
        return;
      case 'step.ended':
        steps.observe({ flow: event.flow, step: event.step, status: event.status }, event.durationMs / 1000);
        return;
      case 'step.attempt-failed':
        if (event.retryInMs !== undefined) retries.inc({ flow: event.flow, step: event.step });
        return;
      case 'step.rerouted':
        reroutes.inc({ flow: event.flow, step: event.step });
        return;
    }
  });

  return {
    registry,
    activity,
    webhook(source, outcome) {
      // The labelled child, once per pair: prom-client hashes a label object on every inc().
      const key = `${source}\u0000${outcome}`;
      let counter = webhookCounters.get(key);
      if (!counter) {
        counter = webhooks.labels(source, outcome);
        webhookCounters.set(key, counter);
      }
      counter.inc();
      activity.record(source, outcome);
    },
  };
}

/** Connector instances the flows use; their breakers are reported even before a call. */
function instanceNames(engine: Engine): string[] {
  const names = new Set<string>();
  for (const flow of engine.flows.values()) {
    for (const step of flow.steps) for (const route of step.routes) names.add(route.instance);
  }
  return [...names];
}
