import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { idempotencyKeyFor, stripePost } from '../client';
import { config } from '../config';
import { metadataForm, metadataInput, type PaymentIntent, paymentIntentOutput } from '../schemas';

const input = z.object({
  amount: z
    .number()
    .int()
    .positive()
    .describe('How much to charge, in the smallest currency unit: 1099 is $10.99, 500 is ¥500.'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, { error: 'must be a three-letter ISO currency code, such as "usd"' })
    .toLowerCase()
    .describe('Three-letter ISO currency code, such as `usd` or `eur`.'),
  customer: z.string().startsWith('cus_').optional().describe('The Stripe customer paying, `cus_…`.'),
  payment_method: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The PaymentMethod to charge, `pm_…` (in test mode also `pm_card_visa` and the other test ids).',
    ),
  confirm: z.boolean().optional().describe('Charge at once. Needs `payment_method`.'),
  off_session: z
    .boolean()
    .optional()
    .describe(
      'The customer is not present (a charge from a flow): cards that need authentication are declined.',
    ),
  payment_method_types: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Restrict how the customer may pay, such as ["card"].'),
  return_url: z
    .url()
    .optional()
    .describe('Where to send the customer after a redirect-based authentication.'),
  description: z.string().max(1000).optional(),
  receipt_email: z.email().optional().describe('Stripe emails a receipt here once the payment succeeds.'),
  statement_descriptor_suffix: z.string().max(22).optional(),
  metadata: metadataInput.optional(),
});

/** What a step gives `create-payment-intent`. */
export type CreatePaymentIntentInput = z.input<typeof input>;

/**
 * Creates a PaymentIntent (`POST /v1/payment_intents`), and with
 * `confirm: true` charges it in the same call. The step's idempotency key
 * goes to Stripe as `Idempotency-Key`, so a retried step gets Stripe's
 * saved answer and the customer is charged once. A decline fails the step
 * with Stripe's decline code, not retried.
 */
export const createPaymentIntent = defineAction({
  description: 'Creates a Stripe PaymentIntent for an amount, and charges it at once with confirm: true.',
  config,
  input,
  output: paymentIntentOutput,
  examples: [
    {
      description: 'Charge a saved card for an order, from a flow (off-session)',
      input: {
        amount: 2599,
        currency: 'usd',
        customer: 'cus_NffrFeUfNV2Hib',
        payment_method: 'pm_card_visa',
        confirm: true,
        off_session: true,
        metadata: { order: '1042' },
      },
      output: {
        id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
        object: 'payment_intent',
        status: 'succeeded',
        amount: 2599,
        amount_received: 2599,
        currency: 'usd',
        customer: 'cus_NffrFeUfNV2Hib',
        payment_method: 'pm_1MtwBwLkdIwHu7ixHzCDm4fa',
        latest_charge: 'ch_3MtwBwLkdIwHu7ix0snN0B15',
        description: null,
        metadata: { order: '1042' },
        next_action: null,
        last_payment_error: null,
        created: 1680800504,
        livemode: false,
      },
    },
    {
      description: 'Create an intent to confirm later',
      input: { amount: 1099, currency: 'eur', metadata: { cart: 'c-77' } },
    },
  ],
  async run({ input, http, idempotencyKey }) {
    const { metadata, ...fields } = input;
    return stripePost<PaymentIntent>(
      http,
      '/v1/payment_intents',
      { ...fields, metadata: metadataForm(metadata) },
      idempotencyKeyFor(idempotencyKey),
    );
  },
});
