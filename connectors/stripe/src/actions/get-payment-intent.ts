import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { stripeGet } from '../client';
import { config } from '../config';
import { type PaymentIntent, paymentIntentId, paymentIntentOutput } from '../schemas';

const input = z.object({
  payment_intent: paymentIntentId.describe('The PaymentIntent to read, `pi_…`.'),
});

/** What a step gives `get-payment-intent`. */
export type GetPaymentIntentInput = z.input<typeof input>;

/** Reads a PaymentIntent (`GET /v1/payment_intents/:id`), for example to check its status. */
export const getPaymentIntent = defineAction({
  description: 'Reads a Stripe PaymentIntent: status, amounts, last payment error.',
  config,
  input,
  output: paymentIntentOutput,
  examples: [{ input: { payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa' } }],
  async run({ input, http }) {
    return stripeGet<PaymentIntent>(http, `/v1/payment_intents/${encodeURIComponent(input.payment_intent)}`);
  },
});
