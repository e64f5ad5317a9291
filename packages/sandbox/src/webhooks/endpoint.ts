import { z } from 'zod';

/**
 * Where a system sends its webhooks, and how: what `PUT
 * /_sandbox/webhooks/:system` takes and `startSandbox({ webhooks })` holds.
 */
export const webhookEndpointSchema = z.strictObject({
  /** Where to POST, such as a Baton gateway's `http://127.0.0.1:8080/webhooks/<source>`. */
  url: z.url({
    protocol: /^https?$/,
    error: 'url must be an http(s) URL, such as http://127.0.0.1:8080/webhooks/stripe',
  }),
  /** The signing secret the receiver verifies with (Stripe's `whsec_…`, EasyPost's webhook secret). */
  secret: z.string().min(1),
  /**
   * How long after the call that causes an event its webhook is sent. For
   * a carrier it is the transit time: a parcel is delivered (and reported)
   * this long after its label was bought.
   */
  delayMs: z.number().int().min(0).max(86_400_000).default(0),
  /** `never` records each event as `withheld` and sends nothing, like a webhook lost on the way. */
  mode: z.enum(['deliver', 'never']).default('deliver'),
  /** Only these event types are sent (Stripe's `enabled_events`); every type the system sends when absent. */
  events: z.array(z.string().min(1)).min(1).optional(),
  /** Attempts per event before it is `failed`; a non-2xx answer or no answer is a failed attempt. */
  maxAttempts: z.number().int().min(1).max(10).default(4),
  /** The wait before the first retry, doubled for each one after. */
  retryDelayMs: z.number().int().min(0).max(600_000).default(500),
  /** Headers added to every delivery (EasyPost's `custom_headers`), such as a type header for a Baton `hmac-sha256` source. */
  headers: z.record(z.string().min(1), z.string()).optional(),
});

/**
 * A webhook endpoint as given: `url` and `secret`, and optionally
 * `delayMs` (default 0), `mode` (`deliver` or `never`), `events`,
 * `maxAttempts` (default 4), `retryDelayMs` (default 500, doubled per
 * retry) and `headers`.
 *
 * @example
 * ```ts
 * await startSandbox({
 *   webhooks: { stripe: { url: 'http://127.0.0.1:8080/webhooks/stripe', secret: 'whsec_…', delayMs: 2000 } },
 * });
 * ```
 */
export type WebhookEndpointOptions = z.input<typeof webhookEndpointSchema>;

/** An endpoint with its defaults applied. */
export type WebhookEndpoint = z.output<typeof webhookEndpointSchema>;
