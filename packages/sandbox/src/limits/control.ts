import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../state';

const limitSchema = z.strictObject({
  requests: z.number().int().min(1).max(10_000),
  per: z.number().int().min(1).max(86_400_000),
  retryAfter: z.number().int().min(0).optional(),
  headers: z.enum(['retry-after', 'x-ratelimit', 'ietf', 'none']).default('retry-after'),
});

const pauseSchema = z.strictObject({
  retryAfter: z.number().int().min(1).max(86_400),
  status: z.union([z.literal(429), z.literal(503)]).default(429),
});

const perQuery = z.coerce.number().int().min(1).optional();

/**
 * `/_sandbox/limits`: rate limits and pauses per system (see `SystemLimits`).
 * - `GET /`: every limit set
 * - `PUT /:system` a limit, `DELETE /:system` removes it and any pause
 * - `GET /:system[?per=]`: the limit, the pause and what got through
 * - `POST /:system/pause`: refuse everything for a while
 */
export function limitsControl(state: SandboxState, systems: ReadonlySet<string>) {
  const app = new Hono();

  const knownSystem: MiddlewareHandler = async (c, next) => {
    const system = c.req.param('system');
    if (system && !systems.has(system)) {
      return c.json({ error: { message: `unknown system "${system}"` } }, 404);
    }
    await next();
  };
  app.use('/:system', knownSystem);
  app.use('/:system/*', knownSystem);

  app.get('/', (c) => c.json({ limits: state.limits.all() }));

  app.put('/:system', async (c) => {
    const parsed = limitSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    state.limits.set(c.req.param('system'), parsed.data);
    return c.json({ system: c.req.param('system'), limit: parsed.data });
  });

  app.delete('/:system', (c) => {
    state.limits.remove(c.req.param('system'));
    return c.body(null, 204);
  });

  app.get('/:system', (c) => {
    const per = perQuery.safeParse(c.req.query('per'));
    if (!per.success)
      return c.json({ error: { message: 'per must be a whole number of milliseconds' } }, 400);
    return c.json(state.limits.stats(c.req.param('system'), per.data));
  });

  app.post('/:system/pause', async (c) => {
    const parsed = pauseSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    const pause = state.limits.pause(c.req.param('system'), parsed.data.retryAfter, parsed.data.status);
    return c.json({
      system: c.req.param('system'),
      pause: {
        status: pause.status,
        until: new Date(pause.until).toISOString(),
        retryAfter: parsed.data.retryAfter,
      },
    });
  });

  return app;
}
