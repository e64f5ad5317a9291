import type { Backend, Engine } from '@baton/runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ConnectorHealth } from './connector-health';
import { registerCredentialsGauge } from './credentials-metric';

/** Options of `registerEngineMetrics`. */
export interface EngineMetricsOptions {
  /** The process's connector health checks: with them, `baton_connector_credentials_valid` per instance. */
  health?: ConnectorHealth;
}

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Registers on `registry` the metrics of a process that runs steps, the
 * same in `baton serve` and `baton worker`: counted from this process's
 * engine events (runs finished, step durations, retries, reroutes, failed
 * attempts per connector instance), and read from the shared backend at
 * each scrape (breaker states, queue depth, runs by status, credentials,
 * live events dropped). Call it once per engine and registry: each event
 * is counted where it happened, so a process serving both roles counts it
 * once.
 */
export function registerEngineMetrics(
  registry: Registry,
  engine: Engine,
  backend: Backend,
  options: EngineMetricsOptions = {},
): void {
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
  const failures = new Counter({
    name: 'baton_connector_failures_total',
    help: 'Failed attempts in this process, by the connector instance called (an open breaker refusing the call included).',
    labelNames: ['connector'],
    registers: [registry],
  });
  registerBackendGauges(registry, engine, backend);
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
        failures.inc({ connector: instanceOf(event.action) });
        if (event.retryInMs !== undefined) retries.inc({ flow: event.flow, step: event.step });
        return;
      case 'step.rerouted':
        reroutes.inc({ flow: event.flow, step: event.step });
        return;
    }
  });
}

/** The gauges read from the backend at each scrape: the same from every process of a hub. */
function registerBackendGauges(registry: Registry, engine: Engine, backend: Backend): void {
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
  new Counter({
    name: 'baton_live_events_dropped_total',
    help: 'Engine events of this process that could not be sent to the gateways of the hub (Redis unreachable or too slow).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(backend.live?.dropped ?? 0);
    },
  });
}

/** `payment` of `payment.charge`: the connector instance an action belongs to. */
function instanceOf(action: string): string {
  const dot = action.indexOf('.');
  return dot === -1 ? action : action.slice(0, dot);
}

/** Connector instances the flows use; their breakers are reported even before a call. */
function instanceNames(engine: Engine): string[] {
  const names = new Set<string>();
  for (const flow of engine.flows.values()) {
    for (const step of flow.steps) for (const route of step.routes) names.add(route.instance);
  }
  return [...names];
}
