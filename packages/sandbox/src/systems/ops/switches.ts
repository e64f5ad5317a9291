import { Hono } from 'hono';
import { z } from 'zod';

const switchesInput = z.strictObject({
  /** Every service reports unhealthy, whatever version it runs. */
  unhealthy: z.boolean().default(false),
  /** A service reports unhealthy while it runs one of these versions (a bad release: rolling back heals it). */
  unhealthyVersions: z.array(z.string().min(1)).default([]),
  /** `POST /ops/traffic/scale` answers 409 `insufficient_capacity`, as when a region has no room left. */
  scaleFails: z.boolean().default(false),
});

/** How the ops systems misbehave on purpose, beyond transport faults. */
export type OpsSwitches = z.output<typeof switchesInput>;

/**
 * Business-level failures for the ops APIs (an unhealthy release, a region
 * that cannot scale), which the fault API's statuses cannot express.
 * Control routes under `/_sandbox/ops`: `GET /switches`, `PUT /switches`
 * (replaces them all; absent fields are off), `DELETE /switches`.
 */
export function opsSwitches() {
  let current: OpsSwitches = switchesInput.parse({});
  const control = new Hono();

  control.get('/switches', (c) => c.json(current));

  control.put('/switches', async (c) => {
    const parsed = switchesInput.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    current = parsed.data;
    return c.json(current);
  });

  control.delete('/switches', (c) => {
    current = switchesInput.parse({});
    return c.body(null, 204);
  });

  return {
    control,
    get: (): OpsSwitches => current,
    reset() {
      current = switchesInput.parse({});
    },
  };
}
