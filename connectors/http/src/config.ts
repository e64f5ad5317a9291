import { z } from 'zod';

/** An HTTP header name (RFC 9110 token characters). */
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'must be an HTTP header name' });

/**
 * The instance config in `baton.config.json`: where the API lives and how to
 * authenticate. Credentials are only sent to `baseUrl`'s origin.
 *
 * ```json
 * "internal": {
 *   "use": "@baton/connector-http",
 *   "config": { "baseUrl": "https://ops.example.com/api", "bearerToken": { "$env": "OPS_TOKEN" } }
 * }
 * ```
 */
export const config = z
  .object({
    /** Prefix of every `path` (and of relative `url`s). */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Headers sent with every request. Values under secret-looking names are kept out of logs and errors. */
    headers: z.record(headerName, z.string()).optional(),
    /** Sent as `Authorization: Bearer <token>`. */
    bearerToken: z.string().min(1).optional(),
    /** HTTP Basic credentials. */
    basicAuth: z.object({ username: z.string().min(1), password: z.string() }).optional(),
    /**
     * A path under `baseUrl` that a GET with the instance's credentials
     * answers with a 2xx, such as `/me` or `/health`: the credentials check
     * of `baton validate --online` and the health API calls it.
     * @default none: the instance has no credentials check
     */
    checkPath: z
      .string()
      .regex(/^\/[^\s]*$/, { error: 'must be a path under baseUrl, such as "/me"' })
      .optional(),
    /**
     * The header that carries the step's idempotency key on requests other
     * than GET, HEAD and OPTIONS; `null` sends none.
     * @default "Idempotency-Key"
     */
    idempotencyHeader: headerName.nullable().default('Idempotency-Key'),
    /**
     * Larger responses fail (they would bloat run records).
     * @default 10485760 (10 MiB)
     */
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
  })
  .refine((value) => !(value.bearerToken && value.basicAuth), {
    error: 'Use either bearerToken or basicAuth, not both',
  })
  .refine((value) => value.checkPath === undefined || value.baseUrl !== undefined, {
    error: 'checkPath needs a baseUrl to be under',
  });

export type HttpConnectorConfig = z.output<typeof config>;

/** Header names whose values are credentials, beyond what the SDK finds by key name. */
const CREDENTIAL_HEADER = /(auth|key|token|secret|cookie|session|signature|password)/i;

/** The configured header values that are credentials. */
export function secretHeaderValues(cfg: HttpConnectorConfig): string[] {
  return Object.entries(cfg.headers ?? {})
    .filter(([name]) => CREDENTIAL_HEADER.test(name))
    .map(([, value]) => value);
}

/** True when requests carry credentials from the config. */
export function hasCredentials(cfg: HttpConnectorConfig): boolean {
  return Boolean(cfg.bearerToken || cfg.basicAuth || secretHeaderValues(cfg).length > 0);
}
