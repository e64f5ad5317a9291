import { Hono } from 'hono';
import { z } from 'zod';
import { limitsControl } from './limits/control';
import type { SandboxState } from './state';
import type { SandboxSystem } from './system';
import { webhookEmitter } from './webhooks/emit';
import { webhookEndpoints } from './webhooks/endpoints-api';

const faultPlanSchema = z.strictObject({
  statuses: z.array(z.number().int().min(100).max(599)).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorStatus: z.number().int().min(400).max(599).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  rateLimit: z
    .strictObject({ retryAfter: z.number().min(0), count: z.number().int().min(0).optional() })
    .optional(),
  hang: z.boolean().optional(),
  pathIncludes: z.string().optional(),
  method: z.string().optional(),
});

/**
 * The control API, for tests and demos:
 * - `GET /_sandbox`: the systems and where they are mounted
 * - `GET /_sandbox/ledger?system=&kind=`: requests received and side effects
 * - `PUT /_sandbox/faults/:system` (a fault plan), `DELETE` to clear, `GET /_sandbox/faults`
 * - `PUT /_sandbox/limits/:system` (a rate limit), `POST …/pause`, `GET` its statistics,
 *   `DELETE` to lift both (see `limits/control.ts`)
 * - `POST /_sandbox/reset`: forget everything
 * - `POST /_sandbox/webhooks/emit`: sign and send an event to a gateway (see `webhooks/emit.ts`)
 * - `PUT /_sandbox/webhooks/:system`, `GET /_sandbox/webhooks/deliveries`: the webhooks systems
 *   send on their own (see `webhooks/endpoints-api.ts`)
 * - `/_sandbox/<system>/…`: what a system offers tests and demos (see each system)
 */
export function control(state: SandboxState, systems: SandboxSystem[]) {
  const names = new Set(systems.map((s) => s.name));
  const app = new Hono();

  app.get('/', (c) =>
    c.json({
      systems: systems.map((s) => ({
        name: s.name,
        prefix: s.prefix,
        ...(s.aliases ? { aliases: s.aliases } : {}),
        description: s.description,
        ...(s.webhooks ? { webhooks: s.webhooks } : {}),
      })),
    }),
  );

  app.get('/ledger', (c) => {
    const system = c.req.query('system');
    const kind = c.req.query('kind');
    return c.json({
      requests: state.requests.filter((r) => !system || r.system === system),
      effects: state.effects.filter((e) => (!system || e.system === system) && (!kind || e.kind === kind)),
    });
  });

  app.get('/faults', (c) => c.json({ faults: Object.fromEntries(state.faults) }));

  app.put('/faults/:system', async (c) => {
    const system = c.req.param('system');
    if (!names.has(system)) return c.json({ error: { message: `unknown system "${system}"` } }, 404);
    const parsed = faultPlanSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    state.faults.set(system, parsed.data as never);
    return c.json({ system, fault: parsed.data });
  });

  app.delete('/faults/:system', (c) => {
    state.faults.delete(c.req.param('system'));
    state.releaseHanging();
    return c.body(null, 204);
  });

  app.post('/reset', (c) => {
    state.reset();
    return c.body(null, 204);
  });

  app.route('/limits', limitsControl(state, names));
  app.route('/webhooks', webhookEmitter(state));
  app.route('/webhooks', webhookEndpoints(state, systems));

  return app;
}
