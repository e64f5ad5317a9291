import { z } from 'zod';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "crm": {
 *   "use": "@baton/connector-hubspot",
 *   "config": { "accessToken": { "$env": "HUBSPOT_TOKEN" }, "dealIdempotencyProperty": "baton_idempotency_key" }
 * }
 * ```
 */
export const config = z.object({
  /** Where the API lives; the sandbox's is `http://127.0.0.1:4010/hubspot`. @default `https://api.hubapi.com` */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.hubapi.com'),
  /** A private app access token (or an OAuth access token), sent as a bearer token. */
  accessToken: z.string().min(1),
  /**
   * A custom deal property (single-line text, "unique values" on) where
   * `create-deal` stores the step's idempotency key. With it, a retried
   * step finds the deal it already created instead of creating a second
   * one; HubSpot has no `Idempotency-Key` header. Without it, a retry after
   * a lost answer can create a duplicate deal.
   * @default none
   */
  dealIdempotencyProperty: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, {
      error: 'must be a HubSpot internal property name, such as baton_idempotency_key',
    })
    .optional(),
});

/** An instance config after validation and defaults. */
export type HubspotConfig = z.output<typeof config>;
