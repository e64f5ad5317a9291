import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../state';
import { newEventId, webhookBody } from './envelope';
import { eventData } from './events';
import { signWebhook, WEBHOOK_SCHEMES } from './sign';

const emitRequest = z.strictObject({
  to: z.url({
    protocol: /^https?$/,
    error: 'to must be an http(s) URL, such as http://127.0.0.1:8080/webhooks/shop',
  }),
  scheme: z.enum(WEBHOOK_SCHEMES),
  secret: z.string().min(1),
  event: z.string().min(1),
  type: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  header: z.string().min(1).optional(),
  encoding: z.enum(['hex', 'base64']).optional(),
  prefix: z.string().optional(),
  idHeader: z.string().min(1).optional(),
  typeHeader: z.string().min(1).optional(),
  envelope: z.boolean().optional(),
});

/** How long the sandbox waits for the gateway's answer. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * `POST /_sandbox/webhooks/emit`: builds a realistic event (`event`:
 * `employee.hired`, `order.created`, `payment.failed`,
 * `user.password_reset_requested`, `traffic.surge`, or any type with your
 * `data`; see `events.ts`), wraps it as the scheme's sender does, signs it
 * and posts it to `to`, then answers with the gateway's status and body:
 *
 * ```json
 * { "to": "http://127.0.0.1:8080/webhooks/shop", "scheme": "standard-webhooks",
 *   "secret": "whsec_…", "event": "order.created", "data": { "sku": "HOODIE-GRY-L", "qty": 5 } }
 * ```
 *
 * `type` overrides the type sent (a Shopify topic such as `orders/create`),
 * `id` the event id (to test deduplication); `header`, `encoding`,
 * `prefix`, `idHeader` and `typeHeader` shape the `hmac-sha256` scheme.
 * `envelope: false` sends the data as the whole body, as senders without an
 * envelope of their own do (Alertmanager for `traffic.surge`).
 */
export function webhookEmitter(state: SandboxState) {
  const app = new Hono();
  app.post('/emit', async (c) => {
    const parsed = emitRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    const request = parsed.data;
    const scheme = request.scheme;
    const id = request.id ?? newEventId(scheme);
    const type = request.type ?? request.event;
    let signed: ReturnType<typeof signWebhook>;
    try {
      signed = signWebhook({
        scheme,
        secret: request.secret,
        id,
        type,
        body:
          request.envelope === false
            ? eventData(request.event, request.data)
            : webhookBody(scheme, { id, type, data: eventData(request.event, request.data) }),
        ...(request.header ? { header: request.header } : {}),
        ...(request.encoding ? { encoding: request.encoding } : {}),
        ...(request.prefix !== undefined ? { prefix: request.prefix } : {}),
        ...(request.idHeader ? { idHeader: request.idHeader } : {}),
        ...(request.typeHeader ? { typeHeader: request.typeHeader } : {}),
      });
    } catch (error) {
      return c.json({ error: { message: (error as Error).message } }, 400);
    }
    let response: Response;
    try {
      response = await fetch(request.to, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = (error as Error).cause ?? error;
      return c.json(
        {
          error: {
            message: `could not deliver to ${request.to}: ${(reason as Error).message ?? String(reason)}`,
          },
        },
        502,
      );
    }
    const text = await response.text();
    state.effect('webhooks', 'webhook.sent', id, { to: request.to, scheme, type, status: response.status });
    return c.json({
      id,
      type,
      scheme,
      status: response.status,
      body: parseBody(text, response.headers.get('content-type')),
      sent: { headers: signed.headers, body: JSON.parse(signed.body) as unknown },
    });
  });
  return app;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!contentType?.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
