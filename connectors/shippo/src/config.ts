import { z } from 'zod';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "carrier-b": { "use": "@baton/connector-shippo", "config": { "apiKey": { "$env": "SHIPPO_API_TOKEN" } } }
 * ```
 */
export const config = z.object({
  /** Shippo's API. Point it at the sandbox (`http://127.0.0.1:4010/shippo`) in development. */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.goshippo.com'),
  /** A test (`shippo_test_…`) or live (`shippo_live_…`) token, sent as `Authorization: ShippoToken <token>`. */
  apiKey: z.string().min(1),
  /** Pins the `Shippo-API-Version` header, such as `2018-02-08`. @default the account's version */
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must look like "2018-02-08"' })
    .optional(),
  /** How often to ask about a label purchase Shippo has queued. @default 1000 */
  pollIntervalMs: z.number().int().min(10).max(60_000).default(1000),
  /** How long to wait for a queued label before the step fails and retries. @default 30000 */
  pollTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
});

/** The validated config of a Shippo connector instance. */
export type ShippoConfig = z.output<typeof config>;
