import { z } from '@hono/zod-openapi';

/** Shapes of the routes the dashboard reads besides runs and flows: status, activity, diagnostics. */

const RunCounts = z
  .object({
    queued: z.number(),
    running: z.number(),
    waiting: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    cancelled: z.number(),
  })
  .openapi('RunCounts');

export const HubStatus = z
  .object({
    backend: z.object({
      name: z.enum(['embedded', 'redis']),
      durable: z.boolean(),
      reachable: z.boolean(),
      error: z
        .string()
        .nullable()
        .openapi({ description: 'Why the backend did not answer, when it did not.' }),
    }),
    queue: z
      .object({ waiting: z.number(), delayed: z.number(), active: z.number() })
      .nullable()
      .openapi({ description: 'Tasks in the queue; null when the backend did not answer.' }),
    runs: RunCounts.nullable().openapi({ description: 'Runs held by the backend, by status.' }),
    draining: z.boolean(),
  })
  .openapi('HubStatus');

const ActivityMinute = z.object({
  at: z.string().openapi({ description: "The minute's start." }),
  outcomes: z.record(z.string(), z.number()),
});

export const WebhookActivity = z
  .object({
    from: z.string(),
    to: z.string(),
    windowMinutes: z.number().int(),
    sources: z.array(
      z.object({
        source: z.string(),
        total: z.number(),
        outcomes: z.record(z.string(), z.number()).openapi({
          description: 'Counts by outcome: accepted, duplicate, or an error code in lower case.',
        }),
        minutes: z.array(ActivityMinute),
      }),
    ),
  })
  .openapi('WebhookActivity', {
    description: 'Webhook outcomes by source and minute over the last hour, in this gateway process.',
  });

const Diagnostic = z
  .object({
    file: z.string(),
    path: z.string().openapi({ description: "The file relative to the config's folder." }),
    line: z.number().int(),
    col: z.number().int(),
    pointer: z.string().openapi({ description: 'RFC 6901 JSON pointer to the offending value.' }),
    code: z.string(),
    message: z.string(),
  })
  .openapi('Diagnostic');

export const HubDiagnostics = z
  .object({
    checkedAt: z.string(),
    valid: z.boolean().openapi({ description: 'No diagnostic anywhere: a restart would load every file.' }),
    config: z.object({ file: z.string(), path: z.string(), diagnostics: z.array(Diagnostic) }),
    flows: z.array(
      z.object({
        file: z.string(),
        path: z.string(),
        id: z.string().nullable().openapi({ description: "The file's flow id, when it has one." }),
        loaded: z.boolean().openapi({ description: 'A flow with this id is running in this gateway.' }),
        definition: z
          .unknown()
          .nullable()
          .openapi({ description: 'The flow as the file holds it now, when it matches the flow schema.' }),
        diagnostics: z.array(Diagnostic),
      }),
    ),
  })
  .openapi('HubDiagnostics');
