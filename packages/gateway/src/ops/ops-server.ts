import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend, Engine } from '@baton/runtime';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { noTokenGuard } from '../api/no-token-guard';
import { closeServer } from '../close-server';
import { errorResponse, GatewayError } from '../errors';
import { isLoopback } from '../gateway';
import { createGatewayLogger } from '../logger';
import { onGatewayError } from '../on-error';
import type { ConnectorHealth } from './connector-health';
import { registerEngineMetrics } from './engine-metrics';
import { opsRoutes } from './health';
import { createProcessRegistry } from './metrics';

/** The port `baton worker` serves `/healthz`, `/readyz` and `/metrics` on unless told otherwise. */
export const DEFAULT_OPS_PORT = 9464;

/** Where a worker stands: `/readyz` answers 200 only while it consumes. */
export type WorkerState = 'starting' | 'consuming' | 'draining';

/** Options of `startOpsServer`. */
export interface OpsServerOptions {
  /** The engine whose events are counted: the one running this process's steps. */
  engine: Engine;
  backend: Backend;
  /** Where the worker stands, read at each `/readyz`. */
  state: () => WorkerState;
  /** The connector health checks: with them, `baton_connector_credentials_valid` per instance. */
  health?: ConnectorHealth;
  /** @default 9464 */
  port?: number;
  /** On a loopback address `/metrics` answers loopback names only, as the gateway's does without a token. @default 127.0.0.1 */
  host?: string;
  log?: Logger;
}

/** A listening ops server. */
export interface RunningOpsServer {
  url: string;
  port: number;
  /** The metrics it serves. */
  registry: Registry;
  /** Stops listening; requests in progress get a moment to finish. */
  close(): Promise<void>;
}

/**
 * The HTTP side of a process that runs steps but takes no webhooks
 * (`baton worker`): `/healthz`, `/readyz` (200 only while it consumes and
 * its backend answers) and `/metrics`, the metrics of the steps it runs
 * (`registerEngineMetrics`) and of the Node.js process. Rejects with the
 * listen error (`EADDRINUSE` …) when the port cannot be had.
 *
 * @example
 * ```ts
 * let state: WorkerState = 'starting';
 * const ops = await startOpsServer({ engine, backend, state: () => state, port: 9464 });
 * engine.startWorker();
 * state = 'consuming';
 * ```
 */
export async function startOpsServer(options: OpsServerOptions): Promise<RunningOpsServer> {
  const host = options.host ?? '127.0.0.1';
  const registry = createProcessRegistry();
  registerEngineMetrics(
    registry,
    options.engine,
    options.backend,
    options.health ? { health: options.health } : {},
  );
  const app = createOpsApp({
    backend: options.backend,
    registry,
    state: options.state,
    loopbackOnly: isLoopback(host),
    log: options.log ?? createGatewayLogger({ secrets: [] }),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? DEFAULT_OPS_PORT, hostname: host }, () =>
      resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    registry,
    close: () => closeServer(server, 1_000),
  };
}

/** The ops server's app: the gateway's ops routes, behind the loopback guard on a loopback address. */
export function createOpsApp(options: {
  backend: Backend;
  registry: Registry;
  state: () => WorkerState;
  loopbackOnly: boolean;
  log: Logger;
}) {
  const app = new Hono();
  // Without it a web page could read the metrics through DNS rebinding; on a network address they are meant to be scraped.
  if (options.loopbackOnly) app.use('/metrics', noTokenGuard(undefined));
  app.route(
    '/',
    opsRoutes({
      backend: options.backend,
      registry: options.registry,
      notReady: () => {
        const state = options.state();
        return state === 'consuming' ? undefined : state;
      },
    }),
  );
  app.notFound((c) =>
    errorResponse(c, new GatewayError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)),
  );
  app.onError(onGatewayError({ log: options.log }));
  return app;
}
