import { Hono } from 'hono';
import type { GatewayDeps } from '../deps';

/**
 * `/healthz`: the process answers. `/readyz`: it can take work: the backend
 * answers and shutdown has not begun. `/metrics`: Prometheus text.
 */
export function opsRoutes(deps: GatewayDeps) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (deps.draining()) return c.json({ status: 'draining' }, 503);
    try {
      await deps.backend.ping();
      return c.json({ status: 'ready', backend: deps.backend.name, durable: deps.backend.durable });
    } catch (error) {
      return c.json(
        { status: 'unavailable', backend: deps.backend.name, reason: (error as Error).message },
        503,
      );
    }
  });
  app.get('/metrics', async (c) => {
    const text = await deps.metrics.registry.metrics();
    return c.text(text, 200, { 'content-type': deps.metrics.registry.contentType });
  });
  return app;
}
