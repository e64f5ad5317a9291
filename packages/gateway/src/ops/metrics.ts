import type { Backend, Engine } from '@baton/runtime';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import type { ConnectorHealth } from './connector-health';
import { registerEngineMetrics } from './engine-metrics';
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

/**
 * The gateway's registry: the Node.js process metrics, webhooks by source
 * and outcome, and the metrics of a process that runs steps
 * (`registerEngineMetrics`, which a `baton worker` serves too).
 */
export function createMetrics(
  engine: Engine,
  backend: Backend,
  options: MetricsOptions = {},
): GatewayMetrics {
  const registry = createProcessRegistry();
  const activity = createWebhookActivity(options.now ? { now: options.now } : {});
  const webhooks = new Counter({
    name: 'baton_webhooks_received_total',
    help: 'Webhooks received, by source and outcome.',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  const webhookCounters = new Map<string, ReturnType<typeof webhooks.labels>>();
  registerEngineMetrics(registry, engine, backend, options.health ? { health: options.health } : {});

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

/** A registry holding the Node.js process metrics (`baton_process_*`, `baton_nodejs_*`). */
export function createProcessRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'baton_' });
  return registry;
}
