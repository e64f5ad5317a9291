import { z } from '@hono/zod-openapi';

/** Shapes of a connector instance's credentials and health, for the admin API and the dashboard. */

export const CredentialState = z
  .object({
    state: z.enum(['none', 'unknown', 'valid', 'needs-reconnect']).openapi({
      description:
        '`none`: the instance uses no OAuth2; `unknown`: no token fetched yet; `valid`: a token is held; `needs-reconnect`: the provider refused a refresh: put new credentials in the config and restart.',
    }),
    reason: z
      .string()
      .optional()
      .openapi({ description: 'Why it needs reconnecting, or why it is unknown.' }),
    expiresAt: z.string().optional().openapi({ description: 'When the access token expires.' }),
    refreshedAt: z.string().optional().openapi({ description: 'When the token was last fetched.' }),
  })
  .openapi('CredentialState');

export const BudgetStateInfo = z
  .object({
    inFlight: z.number().openapi({ description: 'Calls to the provider in flight.' }),
    inWindow: z.number().openapi({ description: 'Calls counted in the current rate window.' }),
    waiting: z.number().openapi({ description: 'Calls waiting for their turn.' }),
    pausedUntil: z
      .string()
      .optional()
      .openapi({ description: 'While the provider asked for a pause (Retry-After): until when.' }),
  })
  .openapi('BudgetState');

export const ConnectorHealth = z
  .object({
    instance: z.string(),
    connector: z.string(),
    status: z.enum(['ok', 'needs-reconnect', 'failing', 'unchecked']).openapi({
      description:
        "`ok`: the connector's check passed; `needs-reconnect`: the provider refused the credentials; `failing`: the check failed otherwise (see `error`); `unchecked`: the connector has no check and the instance no OAuth2.",
    }),
    checkedAt: z.string().nullable().openapi({ description: 'When the check ran; null when unchecked.' }),
    durationMs: z.number().nullable(),
    cached: z.boolean().openapi({
      description:
        'True when this is the result of a check less than 15 s old (ask `?refresh=1` to check again).',
    }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    credentials: CredentialState,
    breaker: z.object({ state: z.enum(['closed', 'open', 'half-open']), failures: z.number() }),
    limits: BudgetStateInfo.optional().openapi({ description: "The instance's provider budget right now." }),
  })
  .openapi('ConnectorHealth');

export const HealthQuery = z.object({
  refresh: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .openapi({ description: '`1`: check again now, even if a recent result is remembered.' }),
});
