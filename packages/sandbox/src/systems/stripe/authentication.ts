import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { chargeIntent } from './charge';
import { docUrl } from './errors';
import { sendIntentEvent } from './events';
import type { PaymentIntent, StripeStore } from './store';

const authenticateInput = z.strictObject({
  result: z.enum(['succeed', 'fail']).default('succeed'),
});

/**
 * Control routes (`/_sandbox/stripe/…`) for what the customer does outside
 * the API: `POST /payment_intents/:id/authenticate` with
 * `{ result?: "succeed" | "fail" }` completes the 3-D Secure challenge of an
 * intent in `requires_action`. Success charges it (`succeeded`, and a
 * `payment_intent.succeeded` webhook); failure returns it to
 * `requires_payment_method` with Stripe's
 * `payment_intent_authentication_failure` (and `payment_intent.payment_failed`).
 */
export function authenticationControl(store: StripeStore, state: SandboxState) {
  const app = new Hono();
  app.post('/payment_intents/:id/authenticate', async (c) => {
    const text = await c.req.text();
    const parsed = authenticateInput.safeParse(text.trim() === '' ? {} : safeJson(text));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    const id = c.req.param('id');
    const intent = store.intents.get(id);
    if (!intent) return c.json({ error: { message: `No such payment_intent: '${id}'` } }, 404);
    if (intent.status !== 'requires_action') {
      return c.json(
        {
          error: {
            message: `payment_intent ${id} is ${intent.status}; only one in requires_action awaits authentication`,
          },
        },
        409,
      );
    }
    if (parsed.data.result === 'succeed') chargeIntent(store, state, intent, { kind: 'succeed' }, undefined);
    else failAuthentication(store, state, intent);
    return c.json({ paymentIntent: intent });
  });
  return app;
}

function failAuthentication(store: StripeStore, state: SandboxState, intent: PaymentIntent): void {
  const method = intent.payment_method ? store.paymentMethods.get(intent.payment_method) : undefined;
  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.payment_method = null;
  intent.last_payment_error = {
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    doc_url: docUrl('payment_intent_authentication_failure'),
    message:
      'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
    payment_method: method,
  };
  state.effect('stripe', 'payment_intent.authentication_failed', intent.id, {
    amount: intent.amount,
    currency: intent.currency,
    metadata: intent.metadata,
  });
  sendIntentEvent(state, 'payment_intent.payment_failed', intent, undefined);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
