import { z } from 'zod';

/** An OAuth2 app's grant: HubSpot's public apps authenticate this way. */
const oauth = z.strictObject({
  /** The app's client id. */
  clientId: z.string().min(1),
  /** The app's client secret. */
  clientSecret: z.string().min(1),
  /** The refresh token the account's user granted when installing the app. */
  refreshToken: z.string().min(1),
  /** @default `<baseUrl>/oauth/v1/token` */
  tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Space-separated scopes to ask for; HubSpot keeps the installed ones when absent. */
  scope: z.string().min(1).optional(),
});

/**
 * The instance config in `baton.config.json`, with a private app token:
 *
 * ```json
 * "crm": {
 *   "use": "@baton/connector-hubspot",
 *   "config": { "accessToken": { "$env": "HUBSPOT_TOKEN" }, "dealIdempotencyProperty": "baton_idempotency_key" }
 * }
 * ```
 *
 * or with an OAuth2 app, whose access tokens Baton fetches and refreshes:
 *
 * ```json
 * "config": { "oauth": { "clientId": { "$env": "HUBSPOT_CLIENT_ID" },
 *   "clientSecret": { "$env": "HUBSPOT_CLIENT_SECRET" }, "refreshToken": { "$env": "HUBSPOT_REFRESH_TOKEN" } } }
 * ```
 */
export const config = z
  .object({
    /** Where the API lives; the sandbox's is `http://127.0.0.1:4010/hubspot`. @default `https://api.hubapi.com` */
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.hubapi.com'),
    /** A private app access token, sent as a bearer token. Give this or `oauth`. */
    accessToken: z.string().min(1).optional(),
    /** An OAuth2 app's refresh-token grant; Baton keeps its access token fresh. Give this or `accessToken`. */
    oauth: oauth.optional(),
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
  })
  .refine((value) => value.accessToken !== undefined || value.oauth !== undefined, {
    error:
      'Give "accessToken" (a private app token) or "oauth" (clientId, clientSecret and refreshToken of an OAuth2 app)',
  })
  .refine((value) => value.accessToken === undefined || value.oauth === undefined, {
    error: 'Give either "accessToken" or "oauth", not both',
  });

/** An instance config after validation and defaults. */
export type HubspotConfig = z.output<typeof config>;
