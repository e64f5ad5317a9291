import { z } from 'zod';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "directory": {
 *   "use": "@baton/connector-scim",
 *   "config": { "baseUrl": "https://scim.example.com/scim/v2", "token": { "$env": "SCIM_TOKEN" } }
 * }
 * ```
 */
export const config = z.object({
  /**
   * The SCIM base URL, up to and including `/v2` (there is no vendor
   * default: each tenant has its own). The sandbox's is
   * `http://127.0.0.1:4010/scim/v2`.
   */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The bearer token the service provider issued. */
  token: z.string().min(1),
});

/** An instance config after validation and defaults. */
export type ScimConfig = z.output<typeof config>;
