import { z } from 'zod';

/**
 * Metadata as Stripe takes it: up to 50 keys of at most 40 characters;
 * values are sent as strings (numbers and booleans are converted).
 */
export const metadataInput = z
  .record(z.string().min(1).max(40), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((value) => Object.keys(value).length <= 50, { error: 'Stripe takes at most 50 metadata keys' })
  .describe('Key-value pairs stored on the object, such as { "order": "1042" }.');

/** Metadata as the API's JSON carries it (values are strings). */
export function metadataForm(metadata: Record<string, string | number | boolean> | undefined) {
  return metadata && Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, String(value)]));
}

/**
 * A PaymentIntent, as the actions return it: Stripe's own field names, the
 * fields a flow decides on (status, amounts, the charge for refunds, the
 * last error), and never the `client_secret`, which belongs in a browser
 * and not in run records.
 */
export const paymentIntentOutput = z.object({
  id: z.string().describe('The PaymentIntent id, `pi_…`; refund it with `refund`.'),
  object: z.literal('payment_intent'),
  status: z
    .enum([
      'requires_payment_method',
      'requires_confirmation',
      'requires_action',
      'processing',
      'requires_capture',
      'canceled',
      'succeeded',
    ])
    .describe('`succeeded` once the money moved; `requires_action` when the customer must authenticate.'),
  amount: z.number().int(),
  amount_received: z.number().int().default(0),
  currency: z.string(),
  customer: z.string().nullable().default(null),
  payment_method: z.string().nullable().default(null),
  latest_charge: z.string().nullable().default(null).describe('The last charge attempt, `ch_…`.'),
  description: z.string().nullable().default(null),
  metadata: z.record(z.string(), z.string()).default({}),
  next_action: z
    .object({ type: z.string() })
    .nullable()
    .default(null)
    .describe('What the customer must do next, such as `use_stripe_sdk` for 3-D Secure.'),
  last_payment_error: z
    .object({
      type: z.string(),
      code: z.string().optional(),
      decline_code: z.string().optional(),
      message: z.string().optional(),
    })
    .nullable()
    .default(null),
  created: z.number().int(),
  livemode: z.boolean(),
});

/** A refund, as `refund` returns it. */
export const refundOutput = z.object({
  id: z.string().describe('The refund id, `re_…`.'),
  object: z.literal('refund'),
  amount: z.number().int(),
  currency: z.string(),
  charge: z.string().nullable().default(null),
  payment_intent: z.string().nullable().default(null),
  reason: z.string().nullable().default(null),
  status: z
    .string()
    .describe('`succeeded`, `pending`, `requires_action`, `failed` or `canceled`.')
    .nullable()
    .default(null),
  metadata: z.record(z.string(), z.string()).default({}),
  created: z.number().int(),
});

/** What create, confirm and retrieve return. */
export type PaymentIntent = z.output<typeof paymentIntentOutput>;
/** What `refund` returns. */
export type Refund = z.output<typeof refundOutput>;

/** A PaymentIntent id. */
export const paymentIntentId = z
  .string()
  .regex(/^pi_[A-Za-z0-9]+$/, { error: 'must be a PaymentIntent id, "pi_…"' });
