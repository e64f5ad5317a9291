import type { Backend, Engine, Hub, HubReloader } from '@baton/runtime';
import type { Logger } from 'pino';
import type { ConnectorHealth } from './ops/connector-health';
import type { GatewayMetrics } from './ops/metrics';
import type { BodyBudget } from './webhooks/body-budget';

/** What the gateway's routes work with. */
export interface GatewayDeps {
  /** The hub as last reloaded (`POST /api/reload`, SIGHUP): read it from here, not from a copy. */
  hub: Hub;
  /** Reloads the hub's flows; one per process. @default made on the first POST /api/reload */
  reloader?: HubReloader;
  engine: Engine;
  backend: Backend;
  log: Logger;
  metrics: GatewayMetrics;
  /** The connector instances' credentials checks, remembered briefly. */
  health: ConnectorHealth;
  /**
   * The admin API token; when set, every /api request needs it as a bearer
   * token. The dashboard's pages hold no data and are served without it (they
   * ask for the token when the API answers 401); unset, /api, /dashboard and
   * /metrics answer loopback names only.
   */
  apiToken?: string;
  /** @default 1 MiB */
  bodyLimit: number;
  /** Signed timestamps may be this far from now. @default 5 minutes */
  toleranceMs: number;
  /** Runs waiting to start before webhooks get 503. */
  backlogLimit: number;
  /** What webhook bodies being read may hold together. @default a budget of 64 MiB */
  bodyBudget?: BodyBudget;
  now: () => number;
  /** True once shutdown began: new webhooks get 503. */
  draining: () => boolean;
  /**
   * How often readers of `GET /api/events` (the dashboard) still refetch
   * what they show while events of every process reach them (Redis): the
   * `safetyPollMs` of its `hello`. @default 60000
   */
  safetyPollMs?: number;
  /** Aborted when the gateway begins to close: live event streams end so the server can close. */
  closing?: AbortSignal;
}
