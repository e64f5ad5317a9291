import type { AddressInfo } from 'node:net';
import { type Backend, createHubEngine, type Engine, type Hub } from '@baton/runtime';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { createGatewayApp } from './app';
import type { GatewayDeps } from './deps';
import { createGatewayLogger } from './logger';
import { createMetrics } from './ops/metrics';
import { DEFAULT_BODY_LIMIT } from './webhooks/read-body';

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
  now?: () => number;
}

export interface RunningGateway {
  url: string;
  port: number;
  engine: Engine;
  app: ReturnType<typeof createGatewayApp>;
  /**
   * Graceful stop: refuse new webhooks, stop listening, let in-flight steps
   * finish within `drainMs`, close the backend.
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
    throw Object.assign(
      new Error(
        `refusing to listen on ${host} without BATON_API_TOKEN: the admin API would be open to the network`,
      ),
      { code: 'SERVE_TOKEN_REQUIRED' },
    );
  }
  const log = options.log ?? createGatewayLogger({ secrets: options.hub.secrets });
  const engine = createHubEngine(options.hub, options.backend, { log });
  let draining = false;
  const closing = new AbortController();
  const deps: GatewayDeps = {
    hub: options.hub,
    engine,
    backend: options.backend,
    log,
    metrics: createMetrics(engine, options.backend),
    ...(options.apiToken ? { apiToken: options.apiToken } : {}),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    toleranceMs: options.toleranceMs ?? 5 * 60_000,
    backlogLimit: options.hub.config.backlogLimit ?? 10_000,
    now: options.now ?? Date.now,
    draining: () => draining,
    closing: closing.signal,
  };
  const app = createGatewayApp(deps);
  if (options.worker ?? true) {
    engine.startWorker({ concurrency: options.concurrency ?? 16 });
    await engine.startSchedules();
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8080, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    engine,
    app,
    async close(closeOptions = {}) {
      draining = true;
      closing.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await engine.stop({ drainMs: closeOptions.drainMs ?? 10_000 });
      await options.backend.close();
    },
  };
}
