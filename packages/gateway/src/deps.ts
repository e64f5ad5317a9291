import type { Backend, Engine, Hub } from '@baton/runtime';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './ops/metrics';
import type { BodyBudget } from './webhooks/body-budget';

/** What the gateway's routes work with. */
export interface GatewayDeps {
  hub: Hub;
  engine: Engine;
  backend: Backend;
  log: Logger;
  metrics: GatewayMetrics;
  /** The admin API token; when set, /api and the dashboard require it. */
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
  /** Aborted when the gateway begins to close: live event streams end so the server can close. */
  closing?: AbortSignal;
}
