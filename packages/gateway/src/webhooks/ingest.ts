import { isTracing } from '@baton/sdk/host';
import { Hono } from 'hono';
import type { GatewayDeps } from '../deps';
import { webhookAcceptor } from './accept-webhook';
import { readBody } from './read-body';
import { requestHeaders } from './request-headers';
import { traceWebhook } from './trace-webhook';

/**
 * `POST /webhooks/:source` as a Hono route: the acceptor's answer as JSON
 * (see accept-webhook.ts), errors to the gateway's onError. `baton serve`
 * answers most webhooks before Hono (webhook-listener.ts), with the same
 * acceptor; this route serves the rest, `app.request()` and tracing.
 */
export function webhookRoutes(deps: GatewayDeps) {
  const app = new Hono();
  const accept = webhookAcceptor(deps);
  if (isTracing()) app.use('/:source', traceWebhook());

  app.post('/:source', async (c) => {
    const answer = await accept(c.req.param('source'), requestHeaders(c), (limit, declared, budget) =>
      readBody(c, limit, declared, budget),
    );
    if (answer.location) c.header('Location', answer.location);
    return c.json(answer.body, answer.status);
  });
  return app;
}
