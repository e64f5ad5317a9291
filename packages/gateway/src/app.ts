import { Hono } from 'hono';
import { bearerAuth } from './api/auth';
import { noTokenGuard } from './api/no-token-guard';
import { apiRoutes } from './api/routes';
import { dashboardRoutes } from './dashboard/routes';
import type { GatewayDeps } from './deps';
import { errorResponse, GatewayError } from './errors';
import { onGatewayError } from './on-error';
import { opsRoutes } from './ops/health';
import { webhookRoutes } from './webhooks/ingest';

/**
 * The gateway as a Hono app: webhooks, the admin API (behind the bearer
 * token when one is set), the dashboard (whose data comes from that API),
 * health and metrics. Every error is answered as
 * `{ error: { code, message } }` with the status of its code.
 */
export function createGatewayApp(deps: GatewayDeps) {
  const app = new Hono();
  app.route('/webhooks', webhookRoutes(deps));
  // Webhooks are signed, and may come through a tunnel under any name; the rest is for this machine only without a token.
  const localOnly = noTokenGuard(deps.apiToken);
  app.use('/api/*', localOnly);
  app.use('/dashboard/*', localOnly);
  app.use('/metrics', localOnly);
  app.use('/api/*', bearerAuth(deps.apiToken));
  app.route('/api', apiRoutes(deps));
  app.route('/dashboard', dashboardRoutes(deps));
  app.get('/', (c) => c.redirect('/dashboard', 302));
  app.route(
    '/',
    opsRoutes({
      backend: deps.backend,
      registry: deps.metrics.registry,
      notReady: () => (deps.draining() ? 'draining' : undefined),
    }),
  );
  app.notFound((c) =>
    errorResponse(c, new GatewayError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)),
  );
  // The one place errors become answers: sub-apps have no onError of their own, so theirs come here.
  app.onError(onGatewayError(deps));
  return app;
}
