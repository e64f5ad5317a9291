import { fileURLToPath } from 'node:url';
import { type Backend, createEmbeddedBackend, createHubEngine, loadHub } from '@baton/runtime';
import pino from 'pino';
import { createGatewayApp } from '../app';
import type { GatewayDeps } from '../deps';
import { createConnectorHealth } from '../ops/connector-health';
import { createMetrics } from '../ops/metrics';
import { DEFAULT_BODY_LIMIT } from '../webhooks/read-body';

/** The secrets of the fixture hub's sources, as their senders hold them. */
export const SECRETS = {
  shop: `whsec_${Buffer.from('shop-signing-key-0123456789abcdef').toString('base64')}`,
  shopOld: `whsec_${Buffer.from('old-shop-signing-key-0123456789').toString('base64')}`,
  stripe: 'whsec_stripe_test_secret_0123456789',
  github: 'github-webhook-secret-0123',
  shopify: 'shopify-client-secret-0123',
  legacy: 'legacy-secret-value',
  limited: 'limited-secret',
  shopApiKey: 'sk_shop_canary_value_9f8e7d',
};

export const fixtureEnv = {
  SHOP_SECRET: SECRETS.shop,
  SHOP_SECRET_OLD: SECRETS.shopOld,
  STRIPE_WHSEC: SECRETS.stripe,
  GH_SECRET: SECRETS.github,
  SHOPIFY_SECRET: SECRETS.shopify,
  SHOP_API_KEY: SECRETS.shopApiKey,
};

export const fixtureConfigPath = fileURLToPath(new URL('./hub/baton.config.json', import.meta.url));

/**
 * The gateway app over the fixture hub (five sources, four flows, one
 * connector), with a worker running, on a fresh embedded backend.
 */
export async function gatewayFixture(
  options: {
    apiToken?: string;
    backend?: Backend;
    now?: () => number;
    backlogLimit?: number;
    worker?: boolean;
    /** Another hub's baton.config.json (a copy of the fixture hub a test edits). @default the fixture hub */
    configPath?: string;
    /** Ends live event streams when aborted, as the gateway's close() does. */
    closing?: AbortSignal;
  } = {},
) {
  const hub = await loadHub({ configPath: options.configPath ?? fixtureConfigPath, env: fixtureEnv });
  const backend = options.backend ?? createEmbeddedBackend();
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const engine = createHubEngine(hub, backend, { log });
  if (options.worker ?? true) engine.startWorker({ concurrency: 4 });
  const health = createConnectorHealth({ instances: hub.instances });
  const deps: GatewayDeps = {
    hub,
    engine,
    backend,
    log,
    metrics: createMetrics(engine, backend, { health }),
    health,
    ...(options.apiToken ? { apiToken: options.apiToken } : {}),
    bodyLimit: DEFAULT_BODY_LIMIT,
    toleranceMs: 5 * 60_000,
    backlogLimit: options.backlogLimit ?? 10_000,
    now: options.now ?? Date.now,
    draining: () => false,
    ...(options.closing ? { closing: options.closing } : {}),
  };
  const app = createGatewayApp(deps);
  return {
    app,
    engine,
    hub,
    logs: lines,
    close: async () => {
      await engine.stop({ drainMs: 1000 });
      await backend.close();
    },
  };
}
