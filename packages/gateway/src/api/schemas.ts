import { z } from '@hono/zod-openapi';
import { CredentialState } from './connector-schemas';

/**
 * The admin API's shapes. The OpenAPI document is generated from these, and
 * they follow CONTRACT.md's `GET /api/runs/:id`.
 */

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error', { description: 'Every error answer.' });

const SerializedError = z
  .object({
    name: z.string(),
    code: z.string(),
    message: z.string(),
    retryable: z.boolean(),
    retryAfterMs: z.number().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('RunError');

const Attempt = z
  .object({
    action: z.string().openapi({ example: 'payment.create-payment-intent' }),
    route: z.number().int().openapi({ description: '0 for the step action, n for its n-th fallback.' }),
    item: z.number().int().optional(),
    startedAt: z.string(),
    endedAt: z.string(),
    error: SerializedError.nullable(),
    waitedMs: z
      .number()
      .optional()
      .openapi({ description: "How long the call waited for its turn under its instance's limits (ms)." }),
    throttled: z.number().int().optional().openapi({
      description: 'Answers before this one in which the provider asked to slow down: not attempts.',
    }),
  })
  .openapi('Attempt');

const Step = z
  .object({
    id: z.string(),
    phase: z.enum(['main', 'onFailure']),
    status: z.enum(['pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'compensated']),
    attempts: z.array(Attempt),
    input: z.unknown().optional(),
    output: z.unknown().nullable(),
    error: SerializedError.nullable(),
    servedBy: z.string().optional(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    wakeAt: z.string().optional(),
    skipReason: z.string().optional(),
    reused: z.boolean().optional(),
    items: z.object({ total: z.number(), succeeded: z.number(), failed: z.number() }).optional(),
    compensation: z
      .object({
        status: z.enum(['running', 'succeeded', 'failed']),
        action: z.string(),
        attempts: z.array(Attempt),
        error: SerializedError.optional(),
      })
      .optional(),
    throttle: z
      .object({
        instance: z.string(),
        reason: z.enum(['rate', 'concurrency', 'paused']),
        since: z.string(),
        until: z.string(),
        turn: z.number().int(),
      })
      .optional()
      .openapi({
        description:
          "While the step's call waits in the queue for its turn under its connector instance's limits: why, since when, and when it asks again.",
      }),
    wait: z
      .object({
        source: z.string(),
        event: z.string(),
        key: z.string(),
        since: z.string(),
        timeoutAt: z.string().optional(),
      })
      .optional()
      .openapi({ description: 'A wait step, once it started waiting: the event it waits for.' }),
    approval: z
      .object({
        title: z.string(),
        details: z.string().optional(),
        since: z.string(),
        timeoutAt: z.string().optional(),
      })
      .optional()
      .openapi({ description: 'An approval step, once it started waiting: what the approver is asked.' }),
  })
  .openapi('Step');

const CloudEvent = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string(),
    source: z.string(),
    type: z.string(),
    time: z.string(),
    data: z.unknown(),
  })
  .openapi('Event');

const RunStatus = z.enum(['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']);

export const Run = z
  .object({
    id: z.string(),
    flow: z.string(),
    status: RunStatus,
    phase: z.enum(['main', 'compensating', 'onFailure', 'done']),
    trigger: z.enum(['webhook', 'schedule', 'manual', 'replay']),
    event: CloudEvent,
    steps: z.array(Step),
    output: z.unknown().nullable(),
    error: SerializedError.nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    replayOf: z.string().optional(),
    replay: z
      .object({ on: z.enum(['current', 'original']), fromStep: z.string().optional() })
      .optional()
      .openapi({
        description:
          "A replay made on the run's own version or from a chosen step (absent: on the current version, every failed step again).",
      }),
    replayedBy: z
      .string()
      .optional()
      .openapi({ description: 'The run that replays this one; a run is replayed at most once.' }),
    audit: z.array(
      z.object({ action: z.string(), actor: z.string(), at: z.string(), detail: z.string().optional() }),
    ),
    flowVersion: z.string().optional().openapi({
      description:
        'The version of the flow the run started with (its content hash): the run runs to its end on it. Absent on runs recorded before versions existed.',
    }),
    trace: z.object({ traceparent: z.string(), tracestate: z.string().optional() }).optional().openapi({
      description:
        "The W3C trace context the run's spans join, when tracing was on as it was made (OTEL_EXPORTER_OTLP_ENDPOINT): its trace id is the second field of `traceparent`.",
    }),
    orderKey: z.string().optional().openapi({
      description:
        "The flow's `trigger.orderKey` as evaluated on the event (over 200 characters: `sha256:` and its hash): the flow's runs with the same key run one at a time, in arrival order.",
    }),
    waitingFor: z
      .object({
        orderKey: z.string(),
        behind: z.string().openapi({ description: 'The run that holds the key (first in line).' }),
        ahead: z
          .number()
          .int()
          .openapi({ description: 'Runs ahead of this one, the one holding the key included.' }),
      })
      .optional()
      .openapi({
        description: 'While the run is queued behind another run of its order key: whose turn it waits for.',
      }),
  })
  .openapi('Run');

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    by: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Who decides.', example: 'maria@example.com' }),
    comment: z.string().max(2000).optional(),
  })
  .openapi('Decision');

export const RunSummary = z
  .object({
    id: z.string(),
    flow: z.string(),
    status: RunStatus,
    trigger: z.enum(['webhook', 'schedule', 'manual', 'replay']),
    eventId: z.string(),
    eventType: z.string(),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
    error: SerializedError.nullable(),
    replayOf: z.string().optional(),
    replayedBy: z.string().optional(),
  })
  .openapi('RunSummary');

export const RunsPage = z
  .object({
    runs: z.array(RunSummary),
    next: z.string().nullable().openapi({ description: 'Cursor of the next page.' }),
  })
  .openapi('RunsPage');

/** A date, or a date and time with its zone: what `new Date()` reads the same on every server. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

const LIMIT_ERROR = 'must be a whole number from 1 to 500';

/** Names the keys a strict object does not know, as `unknown <what> "a", "b"`. */
export const unknownKeys =
  (what: string) =>
  (issue: { code?: string; keys?: string[] }): string | undefined =>
    issue.code === 'unrecognized_keys'
      ? `unknown ${what} ${(issue.keys ?? []).map((key) => `"${key}"`).join(', ')}`
      : undefined;

export const RunsQuery = z.strictObject(
  {
    flow: z.string().max(200).optional(),
    status: RunStatus.optional(),
    since: z
      .string()
      .refine((value) => ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)), {
        error: 'must be an ISO 8601 date, or a date and time with its zone (2026-01-31T12:00:00Z)',
      })
      .optional()
      .openapi({ description: 'ISO time: runs created at or after it.', example: '2026-01-31T12:00:00Z' }),
    limit: z.coerce
      .number({ error: LIMIT_ERROR })
      .int({ error: LIMIT_ERROR })
      .min(1, { error: LIMIT_ERROR })
      .max(500, { error: LIMIT_ERROR })
      .optional()
      .openapi({ description: 'Page size.', example: 50 }),
    cursor: z
      .string()
      .regex(/^run_[0-9a-z]{1,64}$/, { error: 'must be the "next" of the previous page (a run id)' })
      .optional(),
  },
  // A misspelt filter would otherwise be ignored, and the answer look like the filtered one.
  { error: unknownKeys('parameter') },
);

export const RunId = z.object({ runId: z.string() }).openapi('RunId');

export const ReplayAnswer = RunId.extend({
  duplicate: z.literal(true).optional().openapi({
    description: 'The run was replayed already (or is being replayed): runId names that replay.',
  }),
}).openapi('ReplayAnswer');

export const ReplayBody = z
  .strictObject(
    {
      on: z.enum(['current', 'original']).optional().openapi({
        description:
          "The flow version the replay runs on: the current one (the default: one replays after a fix) or the run's own.",
      }),
      fromStep: z.string().min(1).max(200).optional().openapi({
        description:
          'Rerun from this step: it and every step that needs it run again; the steps before keep their outputs.',
      }),
    },
    { error: unknownKeys('field') },
  )
  .openapi('ReplayBody');

export const TriggerBody = z
  .strictObject(
    {
      data: z.unknown().optional().openapi({ description: 'The event data the run sees as event.data.' }),
    },
    // A misspelt `data` would otherwise start the run with no data at all.
    { error: unknownKeys('field') },
  )
  .openapi('TriggerBody');

export const FlowSummary = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    description: z.string().nullable(),
    trigger: z.unknown().nullable(),
    steps: z.number().int(),
    file: z.string().nullable(),
  })
  .openapi('FlowSummary');

export const FlowDetail = z
  .object({
    id: z.string(),
    version: z.string().openapi({
      description: 'The version new runs start on (the content hash runs record as flowVersion).',
    }),
    file: z.string().nullable(),
    definition: z.unknown().openapi({ description: 'The flow file as loaded.' }),
    graph: z.string().openapi({ description: 'The flow as a Mermaid flowchart.' }),
  })
  .openapi('FlowDetail');

export const ConnectorInfo = z
  .object({
    name: z.string().openapi({ description: 'The instance name flows use.' }),
    use: z.string(),
    connector: z.string(),
    version: z.string().nullable(),
    description: z.string().nullable(),
    actions: z.array(z.object({ name: z.string(), description: z.string().nullable() })),
    breaker: z.object({
      state: z.enum(['closed', 'open', 'half-open']),
      failures: z.number(),
      openedAt: z.string().nullable(),
    }),
    credentials: CredentialState,
  })
  .openapi('Connector');
