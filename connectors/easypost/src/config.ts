import { z } from 'zod';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "carrier-a": { "use": "@baton/connector-easypost", "config": { "apiKey": { "$env": "EASYPOST_API_KEY" } } }
 * ```
 */
export const config = z.object({
  /** EasyPost's API, version included. Point it at the sandbox (`http://127.0.0.1:4010/easypost/v2`) in development. */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.easypost.com/v2'),
  /** A test (`EZTK…`) or production (`EZAK…`) key, sent as the HTTP Basic username. */
  apiKey: z.string().min(1),
});

/** The validated config of an EasyPost connector instance. */
export type EasyPostConfig = z.output<typeof config>;
