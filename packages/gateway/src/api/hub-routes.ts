import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { hubDiagnosticsReader } from './hub-diagnostics';
import { HubDiagnostics, HubStatus, WebhookActivity } from './hub-schemas';
import { liveEventsResponse } from './live-events';
import { authErrors, json } from './openapi-common';

/**
 * The routes the dashboard watches the hub through, on the admin API app
 * (same bearer token, same OpenAPI document): `GET /status` (backend,
 * queue depth, runs by status), `GET /webhooks/activity` (webhook outcomes
 * by source over the last hour), `GET /diagnostics` (the hub's files
 * checked as a restart would) and `GET /events` (live Server-Sent Events).
 */
export function registerHubRoutes(app: OpenAPIHono, deps: GatewayDeps): void {
  const { backend } = deps;
  const diagnostics = hubDiagnosticsReader(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/status',
      summary: 'The backend, the queue depth and the runs by status',
      responses: { 200: json(HubStatus, 'The hub status'), ...authErrors },
    }),
    async (c) => {
      const reachable = await backend.ping().then(
        () => null,
        (error: unknown) => (error as Error)?.message ?? String(error),
      );
      const [queue, runs] = await Promise.all([
        backend.queue.depth().catch(() => null),
        backend.runs.counts().catch(() => null),
      ]);
      return c.json(
        {
          backend: {
            name: backend.name,
            durable: backend.durable,
            reachable: reachable === null,
            error: reachable,
          },
          queue: queue ? { waiting: queue.waiting, delayed: queue.delayed, active: queue.active } : null,
          runs,
          draining: deps.draining(),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhooks/activity',
      summary: 'Webhook outcomes by source and minute over the last hour (this gateway process)',
      responses: { 200: json(WebhookActivity, 'The activity'), ...authErrors },
    }),
    (c) => c.json(deps.metrics.activity.snapshot(), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/diagnostics',
      summary: "The config's and every flow file's diagnostics, checked on disk now as a restart would",
      responses: { 200: json(HubDiagnostics, 'The diagnostics'), ...authErrors },
    }),
    async (c) => c.json(await diagnostics(), 200),
  );

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/events',
    summary: 'Live Server-Sent Events: engine events by type, webhook outcomes, hello and resync',
    responses: {
      200: {
        description: 'An endless text/event-stream',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...authErrors,
    },
  });
  app.get('/events', (c) => liveEventsResponse(deps, c.req.raw));
}
