import { z } from 'zod';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "hr": {
 *   "use": "@baton/connector-bamboohr",
 *   "config": { "companyDomain": "acme", "apiKey": { "$env": "BAMBOOHR_API_KEY" } }
 * }
 * ```
 */
export const config = z.object({
  /** The company's BambooHR subdomain: `acme` for acme.bamboohr.com. */
  companyDomain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/i, { error: 'must be the BambooHR subdomain, such as "acme"' }),
  /** An API key, sent as the HTTP Basic user name (BambooHR ignores the password). */
  apiKey: z.string().min(1),
  /**
   * The whole API base, in place of
   * `https://api.bamboohr.com/api/gateway.php/{companyDomain}/v1`; point it
   * at the sandbox with `http://127.0.0.1:4010/bamboohr/api/gateway.php/acme/v1`.
   * @default `https://api.bamboohr.com/api/gateway.php/{companyDomain}/v1`
   */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
});

/** An instance config after validation and defaults. */
export type BambooHrConfig = z.output<typeof config>;

/** Where the instance's API lives. */
export function apiBase(cfg: BambooHrConfig): string {
  return (
    cfg.baseUrl ?? `https://api.bamboohr.com/api/gateway.php/${encodeURIComponent(cfg.companyDomain)}/v1`
  );
}
