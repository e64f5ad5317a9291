import { z } from 'zod';
import { durationSchema, parseDuration } from '../flow/duration';

/**
 * The hub configuration, `baton.config.json`. The zod schema is the single
 * source; the shipped JSON Schema is generated from it.
 */

/** `{ "$env": "NAME" }`: a value read from the environment at start-up. */
export const envRefSchema = z
  .strictObject({
    $env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }),
  })
  .meta({
    description: 'Reads the value from this environment variable at start-up; a missing one is an error.',
  });

export const secretSchema = z
  .union([z.string().min(1), envRefSchema])
  .meta({ description: 'A secret: a literal string or { "$env": "NAME" } (preferred).' });

const toleranceField = durationSchema.optional().meta({
  description: 'How far a signed timestamp may be from now, either way.',
  default: '5m',
});

const secretsField = {
  secret: secretSchema.optional(),
  secrets: z.array(secretSchema).min(1).optional().meta({
    description: 'Several secrets, all accepted: for rotating a secret without downtime.',
  }),
};

export const verifySchema = z.discriminatedUnion('scheme', [
  z.strictObject({
    scheme: z.literal('standard-webhooks').meta({ description: 'Standard Webhooks (also svix-* headers).' }),
    ...secretsField,
    tolerance: toleranceField,
  }),
  z.strictObject({
    scheme: z.literal('stripe').meta({ description: 'Stripe-Signature.' }),
    ...secretsField,
    tolerance: toleranceField,
  }),
  z.strictObject({
    scheme: z.literal('github').meta({ description: 'GitHub X-Hub-Signature-256.' }),
    ...secretsField,
  }),
  z.strictObject({
    scheme: z.literal('shopify').meta({ description: 'Shopify X-Shopify-Hmac-Sha256.' }),
    ...secretsField,
  }),
  z.strictObject({
    scheme: z
      .literal('hmac-sha256')
      .meta({ description: 'HMAC-SHA256 of the body in a header of your choice.' }),
    ...secretsField,
    header: z
      .string()
      .min(1)
      .meta({ description: 'The header that carries the signature.', default: 'X-Signature' })
      .optional(),
    encoding: z
      .enum(['hex', 'base64'])
      .optional()
      .meta({ description: 'How the signature is written.', default: 'hex' }),
    prefix: z
      .string()
      .optional()
      .meta({ description: 'Text before the signature in the header, such as "sha256=".' }),
    idHeader: z
      .string()
      .optional()
      .meta({ description: 'Header with the event id; a hash of the body when absent.' }),
    typeHeader: z
      .string()
      .optional()
      .meta({ description: 'Header with the event type; body field "type" when absent.' }),
  }),
]);

/** A field of a JSON body by its dotted path: `id`, `head_commit.id`, `items.0.sku`. */
const bodyPathSchema = z
  .string()
  .max(200)
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, {
    error: 'must be a dotted path of field names, such as "head_commit.id"',
  });

export const sourceSchema = z
  .strictObject({
    verify: verifySchema.meta({ description: 'How its webhooks are signed, and with which secret.' }),
    eventIdFromBody: z
      .union([bodyPathSchema, z.array(bodyPathSchema).min(1).max(8)])
      .optional()
      .meta({
        description:
          'Take the event id, by which duplicates are dropped, from this field of the signed body (a dotted path such as "id"), or from several together, rather than from a delivery header the signature does not cover (GitHub, Shopify, plain HMAC). A body without a string or whole-number value there gets 400 EVENT_ID_MISSING.',
      }),
    rateLimit: z
      .strictObject({
        requests: z.number().int().min(1).meta({ description: 'Webhooks accepted per window.' }),
        per: durationSchema.meta({ description: 'The window, such as "1m".' }),
      })
      .optional()
      .meta({ description: 'Webhooks accepted per window from this source; more get 429 with Retry-After.' }),
    maxBodySize: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Body limit in bytes.', default: 1048576 }),
    maxBodyDepth: z
      .number()
      .int()
      .min(1)
      // Below the expression engine's value depth limit (256), with room for the event around
      // the body: every accepted body can be evaluated, stored and shown again.
      .max(200)
      .optional()
      .meta({
        description:
          "Nesting limit of the body (or a form's JSON payload) in levels of arrays and objects, at most 200; deeper gets 400 BODY_TOO_DEEP. Also bounds data triggered by hand for flows of this source.",
        default: 64,
      }),
  })
  .meta({ description: 'A system allowed to send webhooks to POST /webhooks/<name>.' });

export const breakerSchema = z
  .strictObject({
    failureThreshold: z.number().int().min(1).optional().meta({
      description: 'Consecutive failures that open the breaker.',
      default: 5,
    }),
    resetAfter: durationSchema.optional().meta({
      description: 'How long the breaker stays open before one trial call (half-open).',
      default: '30s',
    }),
  })
  .meta({ description: 'The circuit breaker of this connector instance.' });

export const limitsSchema = z
  .strictObject({
    rate: z
      .union([
        z.strictObject({
          requests: z.number().int().min(1).meta({ description: 'Calls allowed in any window of `per`.' }),
          per: durationSchema
            .refine((value) => parseDuration(value) > 0, { error: 'must be longer than 0' })
            .meta({ description: 'The window, such as "10s".' }),
        }),
        z.literal(false),
      ])
      .optional()
      .meta({
        description:
          "The provider's request quota for this instance, shared by every flow and worker; false turns off the connector's declared default.",
      }),
    concurrency: z
      .union([z.number().int().min(1), z.literal(false)])
      .optional()
      .meta({
        description:
          "Calls to this instance in flight at once, across every worker; false turns off the connector's declared default.",
      }),
    maxPause: durationSchema.optional().meta({
      description:
        'The longest a provider may pause this instance with Retry-After or rate-limit headers; a longer ask pauses it this long and counts as a failed attempt.',
      default: '5m',
    }),
  })
  .meta({
    description:
      'Limits towards the provider: calls over budget wait their turn (not an attempt, not retried). Overrides the limits the connector declares.',
  });

export const connectorInstanceSchema = z
  .strictObject({
    use: z.string().min(1).meta({
      description: "An npm package name (resolved from this file's folder) or a path to an ES module.",
    }),
    config: z
      .unknown()
      .optional()
      .meta({ description: 'Checked against the connector\'s config schema; { "$env" } anywhere.' }),
    egress: z
      .strictObject({ allow: z.array(z.string().min(1)) })
      .optional()
      .meta({
        description: 'Non-public hosts this instance may call: names, IPs, CIDRs, "loopback" or "private".',
      }),
    breaker: breakerSchema.optional(),
    limits: limitsSchema.optional(),
  })
  .meta({ description: 'A connector instance; flows call its actions as <name>.<action>.' });

// 0 would turn Node's timeout off, which is what these limits exist to prevent.
const timeoutSchema = durationSchema.refine((value) => parseDuration(value) > 0, {
  error: 'must be longer than 0',
});

const httpSchema = z
  .strictObject({
    headersTimeout: timeoutSchema.optional().meta({
      description:
        'How long a client may take to send the request headers; then 408 and the connection closes.',
      default: '10s',
    }),
    requestTimeout: timeoutSchema.optional().meta({
      description:
        'How long a client may take to send a whole request, headers and body; then 408 and the connection closes.',
      default: '30s',
    }),
    keepAliveTimeout: timeoutSchema.optional().meta({
      description: 'How long an idle keep-alive connection stays open between requests.',
      default: '5s',
    }),
    maxConnections: z.number().int().min(1).optional().meta({
      description: 'Connections open at once; further ones are closed as they arrive.',
      default: 1024,
    }),
    maxBodyBytesInFlight: z.number().int().min(1).optional().meta({
      description:
        "Bytes of webhook bodies being read at once, past each body's first 64 KiB; over it webhooks get 503 BUSY.",
      default: 67108864,
    }),
  })
  .refine(
    (http) =>
      !http.headersTimeout ||
      parseDuration(http.headersTimeout) <= parseDuration(http.requestTimeout ?? '30s'),
    { error: 'must not be longer than requestTimeout', path: ['headersTimeout'] },
  )
  .meta({ description: "Limits on the gateway's HTTP connections, against slow and abusive clients." });

const NAME = /^[A-Za-z0-9_-]+$/;
const nameSchema = z.string().regex(NAME, { error: 'use only letters, digits, "-" and "_"' });

export const configSchema = z
  .strictObject({
    $schema: z
      .string()
      .optional()
      .meta({ description: 'Path or URL of the config JSON Schema, for editors.' }),
    flows: z.string().optional().meta({ description: 'Folder of *.json flow files.', default: './flows' }),
    connectors: z.record(nameSchema, connectorInstanceSchema).optional().meta({
      description: 'Connector instances by name; flows call `<name>.<action>`.',
      default: {},
    }),
    sources: z.record(nameSchema, sourceSchema).optional().meta({
      description: 'Systems allowed to send webhooks, by name: `POST /webhooks/<name>`.',
      default: {},
    }),
    dedupWindow: durationSchema.optional().meta({
      description: 'How long an event id is remembered to drop duplicates.',
      default: '24h',
    }),
    retention: z
      .strictObject({
        runs: z
          .number()
          .int()
          .min(1)
          .optional()
          .meta({ description: 'Succeeded runs kept.', default: 10000 }),
        maxAge: durationSchema
          .optional()
          .meta({ description: 'Succeeded runs older than this are dropped.', default: '7d' }),
        failed: z
          .strictObject({
            runs: z.number().int().min(1).optional().meta({
              description:
                'Failed and cancelled runs kept. Default: 10000, or `retention.runs` when that is larger.',
            }),
            maxAge: durationSchema.optional().meta({
              description:
                'Failed and cancelled runs older than this are dropped. Default: 30d, or `retention.maxAge` when that is longer.',
            }),
          })
          .optional()
          .meta({
            description:
              'How many failed and cancelled runs are kept, and for how long, apart from succeeded runs: successes never push failures out.',
          }),
      })
      .optional()
      .meta({
        description:
          'How many finished runs are kept, and for how long: succeeded runs by `runs` and `maxAge`, failed and cancelled runs by `failed`. Runs that have not ended are never dropped.',
      }),
    backlogLimit: z.number().int().min(1).optional().meta({
      description: 'Runs waiting to start before webhooks are answered 503.',
      default: 10000,
    }),
    http: httpSchema.optional(),
  })
  .meta({ title: 'Baton hub configuration' });

export type HubConfig = z.output<typeof configSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type VerifyConfig = z.output<typeof verifySchema>;
export type ConnectorInstanceConfig = z.output<typeof connectorInstanceSchema>;
export type BreakerConfig = z.output<typeof breakerSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
