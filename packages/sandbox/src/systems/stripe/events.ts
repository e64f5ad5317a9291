import type { SandboxState } from '../../state';
import { webhookBody } from '../../webhooks/envelope';
import { stripeId } from './ids';
import type { PaymentIntent } from './store';

/** The events the Stripe sandbox sends to its webhook endpoint. */
export const STRIPE_WEBHOOK_EVENTS = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
] as const;

export type StripeWebhookEvent = (typeof STRIPE_WEBHOOK_EVENTS)[number];

/** The API request that caused an event; Stripe names it in the event's `request`. */
export interface CausingRequest {
  id: string;
  idempotencyKey?: string;
}

/**
 * Sends a PaymentIntent event as Stripe does: an Event object whose
 * `data.object` is the intent as it is now (a copy, so later changes do not
 * leak into a delayed delivery), signed with `Stripe-Signature`.
 */
export function sendIntentEvent(
  state: SandboxState,
  type: StripeWebhookEvent,
  intent: PaymentIntent,
  request: CausingRequest | undefined,
): void {
  const id = stripeId('evt');
  const body = {
    ...webhookBody('stripe', {
      id,
      type,
      data: structuredClone(intent) as unknown as Record<string, unknown>,
    }),
    // An event the dashboard or a test caused has no API request, as in Stripe.
    request: { id: request?.id ?? null, idempotency_key: request?.idempotencyKey ?? null },
  };
  state.webhooks.send('stripe', {
    id,
    type,
    body,
    sign: { scheme: 'stripe' },
    headers: { 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
  });
}
