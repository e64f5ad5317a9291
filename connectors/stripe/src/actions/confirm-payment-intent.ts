import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { idempotencyKeyFor, stripePost } from '../client';
import { config } from '../config';
import { type PaymentIntent, paymentIntentId, paymentIntentOutput } from '../schemas';

const input = z.object({
  payment_intent: paymentIntentId.describe('The PaymentIntent to confirm, `pi_…`.'),
  payment_method: z
    .string()
    .min(1)
    .optional()
    .describe('Charge this PaymentMethod, `pm_…`, instead of the one already attached.'),
  off_session: z
    .boolean()
    .optional()
    .describe('The customer is not present: cards needing authentication decline.'),
  return_url: z
    .url()
    .optional()
    .describe('Where to send the customer after a redirect-based authentication.'),
  receipt_email: z.email().optional(),
});

/** What a step gives `confirm-payment-intent`. */
export type ConfirmPaymentIntentInput = z.input<typeof input>;

/**
 * Confirms a PaymentIntent (`POST /v1/payment_intents/:id/confirm`): the
 * charge happens now. Sent with the step's idempotency key, so retries
 * charge once; a decline fails the step with Stripe's decline code.
 */
export const confirmPaymentIntent = defineAction({
  description: 'Confirms (charges) a Stripe PaymentIntent, optionally with a new payment method.',
  config,
  input,
  output: paymentIntentOutput,
  examples: [
    {
      description: 'Confirm the intent an earlier step created',
      input: { payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', payment_method: 'pm_card_visa' },
      output: {
        id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
        object: 'payment_intent',
        status: 'succeeded',
        amount: 1099,
        amount_received: 1099,
        currency: 'eur',
        customer: null,
        payment_method: 'pm_1MtwBwLkdIwHu7ixHzCDm4fa',
        latest_charge: 'ch_3MtwBwLkdIwHu7ix0snN0B15',
        description: null,
        metadata: { cart: 'c-77' },
        next_action: null,
        last_payment_error: null,
        created: 1680800504,
        livemode: false,
      },
    },
  ],
  async run({ input, http, idempotencyKey }) {
    const { payment_intent: id, ...params } = input;
    return stripePost<PaymentIntent>(
      http,
      `/v1/payment_intents/${encodeURIComponent(id)}/confirm`,
      params,
      idempotencyKeyFor(idempotencyKey),
    );
  },
});
