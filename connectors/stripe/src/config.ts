import { z } from 'zod';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "payment": { "use": "@baton/connector-stripe", "config": { "apiKey": { "$env": "STRIPE_SECRET_KEY" } } }
 * ```
 */
export const config = z.object({
  /** Stripe's API origin. Point it at the sandbox (`http://127.0.0.1:4010/stripe`) in development. */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.stripe.com'),
  /** A secret (`sk_…`) or restricted (`rk_…`) key, sent as a Bearer token. */
  apiKey: z.string().min(1),
  /** Pins the `Stripe-Version` header, such as `2025-09-30.clover`. @default the account's version */
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, { error: 'must look like "2025-09-30" or "2025-09-30.clover"' })
    .optional(),
  /** Acts on a connected account (`Stripe-Account` header), for Stripe Connect platforms. */
  stripeAccount: z.string().startsWith('acct_').optional(),
});

/** The validated config of a Stripe connector instance. */
export type StripeConfig = z.output<typeof config>;
