import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Backend, createHubEngine, type Engine, type Hub, type ReloadOutcome } from '@baton/runtime';
import { BatonError } from '@baton/sdk';
import { isTracing } from '@baton/sdk/host';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { gatewayReloader } from './api/reload-routes';
import { createGatewayApp } from './app';
import { closeServer } from './close-server';
import type { GatewayDeps } from './deps';
import { applyHttpLimits, type HttpLimits, httpServerOptions, resolveHttpLimits } from './http-limits';
import { createGatewayLogger } from './logger';
import { createConnectorHealth } from './ops/connector-health';
import { createMetrics } from './ops/metrics';
import { BodyBudget } from './webhooks/body-budget';
import { DEFAULT_BODY_LIMIT } from './webhooks/read-body';
import { serverWithWebhookListener } from './webhooks/webhook-listener';

export interface GatewayOptions {
  hub: Hub;
  backend: Backend;
  /** @default 8080 (0 picks a free port) */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** Required on a non-loopback host. */
  apiToken?: string;
  log?: Logger;
  /** Also run a worker in this process (baton serve). @default true */
  worker?: boolean;
  /** Worker concurrency. @default 16 */
  concurrency?: number;
  /** @default 1 MiB */
  bodyLimit?: number;
  /** @default 5 minutes */
  toleranceMs?: number;
  /**
   * Timeouts and caps against slow and abusive clients; each one given here
   * wins over the hub's `http` config. @default DEFAULT_HTTP_LIMITS
   */
  httpLimits?: Partial<HttpLimits>;
  now?: () => number;
  /**
   * How often dashboard pages still refetch what they show while the live
   * stream carries the events of every process (Redis): the events are
   * hints, the run records the truth. @default 60000
   */
  safetyPollMs?: number;
}

export interface RunningGateway {
  url: string;
  port: number;
  engine: Engine;
  app: ReturnType<typeof createGatewayApp>;
  /** The HTTP limits in force. */
  httpLimits: HttpLimits;
  /**
   * Reads the config and flow files again and makes their flows current for
   * new runs, as `POST /api/reload` does (the same reloader: SIGHUP and the
   * route never interleave).
   */
  reload(): Promise<ReloadOutcome>;
  /**
   * Graceful stop: refuse new webhooks, stop listening, and give requests in
   * progress and in-flight steps `drainMs` to finish (at the same time, so
   * the whole stop takes about `drainMs` at most); connections still open
   * then are destroyed, steps still running are handed back, and the backend
   * is closed.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether a host binds only to this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Builds the engine, the app and the HTTP server for a hub, and starts listening. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.apiToken) {
    throw new BatonError(
      `refusing to listen on ${host} without BATON_API_TOKEN: the admin API would be open to the network`,
      { code: 'SERVE_TOKEN_REQUIRED' },
    );
  }
  const log = options.log ?? createGatewayLogger({ secrets: options.hub.secrets });
  const httpLimits = resolveHttpLimits(options.hub.config.http, options.httpLimits);
  const engine = createHubEngine(options.hub, options.backend, { log });
  let draining = false;
  const closing = new AbortController();
  const health = createConnectorHealth({ instances: options.hub.instances });
  const deps: GatewayDeps = {
    hub: options.hub,
    engine,
    backend: options.backend,
    log,
    metrics: createMetrics(engine, options.backend, { health }),
    health,
    ...(options.apiToken ? { apiToken: options.apiToken } : {}),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    toleranceMs: options.toleranceMs ?? 5 * 60_000,
    backlogLimit: options.hub.config.backlogLimit ?? 10_000,
    bodyBudget: new BodyBudget(httpLimits.maxBodyBytesInFlight),
    now: options.now ?? Date.now,
    draining: () => draining,
    closing: closing.signal,
    ...(options.safetyPollMs !== undefined ? { safetyPollMs: options.safetyPollMs } : {}),
  };
  const app = createGatewayApp(deps);
  const reloader = gatewayReloader(deps);
  if (options.worker ?? true) {
    engine.startWorker({ concurrency: options.concurrency ?? 16 });
    await engine.startSchedules();
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: options.port ?? 8080,
        hostname: host,
        serverOptions: httpServerOptions(httpLimits),
        // Webhooks answered before Hono, but while tracing: their span is Hono middleware.
        ...(isTracing() ? {} : { createServer: serverWithWebhookListener(deps) }),
      },
      () => resolve(s),
    );
    applyHttpLimits(s as Server, httpLimits);
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    engine,
    app,
    httpLimits,
    reload: () => reloader.reload(),
    async close(closeOptions = {}) {
      const drainMs = closeOptions.drainMs ?? 10_000;
      draining = true;
      closing.abort();
      // One deadline for both: a slow client must not eat the steps' drain time, nor
      // the steps the requests' (the backend stays open until both are done).
      try {
        await Promise.all([closeServer(server as Server, drainMs), engine.stop({ drainMs })]);
      } finally {
        // Closed whatever happened above: a connection to Redis left open keeps the process alive.
        await options.backend.close();
      }
    },
  };
}
