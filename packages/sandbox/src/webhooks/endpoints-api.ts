import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../state';
import type { SandboxSystem } from '../system';
import { webhookEndpointSchema } from './endpoint';

const deliveryStatus = z
  .enum(['scheduled', 'sending', 'delivered', 'failed', 'withheld', 'cancelled'])
  .optional();

/**
 * The webhooks the systems send on their own, under `/_sandbox/webhooks`:
 * - `GET /`: each system's endpoint (secret left out) and what every sender can send
 * - `PUT /:system`: set its endpoint (`{ url, secret, delayMs, mode, … }`, see `endpoint.ts`)
 * - `DELETE /:system`: stop sending
 * - `GET /deliveries?system=&status=&type=`: the log, each event with its attempts
 */
export function webhookEndpoints(state: SandboxState, systems: SandboxSystem[]) {
  const senders = new Map(systems.filter((s) => s.webhooks).map((s) => [s.name, s.webhooks ?? []]));
  const app = new Hono();

  app.get('/', (c) => c.json({ endpoints: state.webhooks.describe(), senders: Object.fromEntries(senders) }));

  app.get('/deliveries', (c) => {
    const status = deliveryStatus.safeParse(c.req.query('status'));
    if (!status.success) return c.json({ error: { message: z.prettifyError(status.error) } }, 400);
    const system = c.req.query('system');
    const type = c.req.query('type');
    return c.json({
      deliveries: state.webhooks.deliveries.filter(
        (d) =>
          (!system || d.system === system) &&
          (!status.data || d.status === status.data) &&
          (!type || d.type === type),
      ),
    });
  });

  app.put('/:system', async (c) => {
    const system = c.req.param('system');
    const sends = senders.get(system);
    if (!sends) return c.json({ error: { message: unknownSender(system, senders) } }, 404);
    const parsed = webhookEndpointSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    const unknown = parsed.data.events?.filter((type) => !sends.includes(type)) ?? [];
    if (unknown.length > 0) {
      return c.json(
        { error: { message: `${system} does not send ${unknown.join(', ')}; it sends ${sends.join(', ')}` } },
        400,
      );
    }
    state.webhooks.configure(system, parsed.data);
    return c.json({ system, endpoint: state.webhooks.describe()[system], events: sends });
  });

  app.delete('/:system', (c) => {
    const system = c.req.param('system');
    if (!senders.has(system)) return c.json({ error: { message: unknownSender(system, senders) } }, 404);
    state.webhooks.remove(system);
    return c.body(null, 204);
  });

  return app;
}

function unknownSender(system: string, senders: Map<string, readonly string[]>): string {
  return `no system "${system}" sends webhooks; senders: ${[...senders.keys()].join(', ') || 'none'}`;
}
