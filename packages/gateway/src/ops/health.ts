import type { Backend } from '@baton/runtime';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';

/** What the health and metrics routes read. */
export interface OpsProbe {
  backend: Backend;
  registry: Registry;
  /** Why the process cannot take work now (`draining`, `starting` …), or undefined when it can. */
  notReady(): string | undefined;
}

/**
 * `/healthz`: the process answers. `/readyz`: it can take work: it is not
 * starting or draining, and the backend answers. `/metrics`: Prometheus
 * text. The gateway and `baton worker` serve the same three.
 */
export function opsRoutes(probe: OpsProbe) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const { backend } = probe;
    const notReady = probe.notReady();
    if (notReady) return c.json({ status: notReady }, 503);
    try {
      await backend.ping();
      return c.json({ status: 'ready', backend: backend.name, durable: backend.durable });
    } catch (error) {
      return c.json({ status: 'unavailable', backend: backend.name, reason: (error as Error).message }, 503);
    }
  });
  app.get('/metrics', async (c) => {
    const text = await probe.registry.metrics();
    return c.text(text, 200, { 'content-type': probe.registry.contentType });
  });
  return app;
}
