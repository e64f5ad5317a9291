import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { idempotencyKeyFor, stripePost } from '../client';
import { config } from '../config';
import { metadataForm, metadataInput, paymentIntentId, type Refund, refundOutput } from '../schemas';

const input = z.object({
  payment_intent: paymentIntentId.describe('The PaymentIntent whose charge to refund, `pi_…`.'),
  amount: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('How much to refund, in the smallest currency unit. @default what is left to refund'),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  metadata: metadataInput.optional(),
});

/** What a step gives `refund`. */
export type RefundInput = z.input<typeof input>;

/**
 * Refunds all or part of a PaymentIntent's charge (`POST /v1/refunds`),
 * the usual compensation of a charge step. The step's idempotency key makes
 * a retried refund refund once.
 */
export const refund = defineAction({
  description: "Refunds all or part of a Stripe PaymentIntent's charge.",
  config,
  input,
  output: refundOutput,
  examples: [
    {
      description: 'Refund the whole charge of an earlier step (compensation)',
      input: { payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', reason: 'requested_by_customer' },
      output: {
        id: 're_3MtwBwLkdIwHu7ix0X9aCnHm',
        object: 'refund',
        amount: 2599,
        currency: 'usd',
        charge: 'ch_3MtwBwLkdIwHu7ix0snN0B15',
        payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
        reason: 'requested_by_customer',
        status: 'succeeded',
        metadata: {},
        created: 1680800600,
      },
    },
    {
      description: 'Refund part of it',
      input: { payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', amount: 500 },
    },
  ],
  async run({ input, http, idempotencyKey }) {
    const { metadata, ...fields } = input;
    return stripePost<Refund>(
      http,
      '/v1/refunds',
      { ...fields, metadata: metadataForm(metadata) },
      idempotencyKeyFor(idempotencyKey),
    );
  },
});
