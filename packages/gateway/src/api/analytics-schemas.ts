import { z } from '@hono/zod-openapi';
import { ISO_TIME, unknownKeys } from './schemas';

/** The windows `GET /api/flows/:id/analytics?window=` takes, and their length (ms). */
export const ANALYTICS_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;

const isoTime = (description: string) =>
  z
    .string()
    .refine((value) => ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)), {
      error: 'must be an ISO 8601 date, or a date and time with its zone (2026-01-31T12:00:00Z)',
    })
    .optional()
    .openapi({ description, example: '2026-01-31T12:00:00Z' });

export const AnalyticsQuery = z.strictObject(
  {
    window: z
      .enum(Object.keys(ANALYTICS_WINDOWS) as [keyof typeof ANALYTICS_WINDOWS])
      .optional()
      .openapi({ description: 'The last hour, day or week (default 24h). Not with since/until.' }),
    since: isoTime('Start of the window (within the last 8 days). Not with window.'),
    until: isoTime('End of the window (default now); needs since.'),
  },
  { error: unknownKeys('parameter') },
);

const Percentile = z
  .object({
    ms: z.number().openapi({ description: 'The estimate: interpolated inside its bucket (ms).' }),
    fromMs: z.number().openapi({ description: "The histogram bucket's lower edge (ms)." }),
    toMs: z
      .number()
      .nullable()
      .openapi({ description: "The bucket's upper edge (ms); null for the bucket past 7 days." }),
  })
  .openapi('DurationPercentile', {
    description:
      'A percentile estimated from fixed histogram buckets: the true value lies in (fromMs, toMs].',
  });

const ErrorCount = z.object({ code: z.string(), count: z.number().int() }).openapi('ErrorCount');

const StepAnalytics = z
  .object({
    id: z.string().openapi({ description: 'The step id; "(other)" sums the steps of a run past its 100th.' }),
    runs: z.number().int().openapi({ description: 'Times the step ran to an end.' }),
    p50: Percentile.nullable(),
    p95: Percentile.nullable(),
    attempts: z.number().int(),
    retries: z
      .number()
      .int()
      .openapi({ description: 'Attempts after the first on the same route and item.' }),
    fallbacks: z.number().int().openapi({ description: 'Fallback routes tried.' }),
    waitingMs: z.number().openapi({
      description: 'Time waiting: for the instance budget, and the whole of wait, approval and delay steps.',
    }),
  })
  .openapi('StepAnalytics');

export const FlowAnalytics = z
  .object({
    flow: z.string(),
    window: z.object({
      since: z.string().openapi({ description: "The first bucket's start (ISO)." }),
      until: z.string().openapi({ description: 'The window end (ISO).' }),
      bucket: z.enum(['1m', '1h']).openapi({ description: 'The bucket size read.' }),
    }),
    runs: z.object({
      succeeded: z.number().int(),
      failed: z.number().int(),
      cancelled: z.number().int(),
      total: z.number().int(),
    }),
    successRate: z
      .number()
      .nullable()
      .openapi({ description: 'Succeeded / ended runs; null when none ended.' }),
    duration: z
      .object({ p50: Percentile.nullable(), p95: Percentile.nullable() })
      .openapi({ description: 'Run duration, from creation to end.' }),
    retries: z.number().int(),
    fallbacks: z.number().int(),
    waitingMs: z.number(),
    breakerOpenings: z.number().int().openapi({
      description: "Openings of the breakers of the connector instances the flow calls (any flow's calls).",
    }),
    breakers: z.array(z.object({ instance: z.string(), openings: z.number().int() })),
    topErrors: z.array(ErrorCount).openapi({ description: 'Codes runs failed or were cancelled with.' }),
    topAttemptErrors: z
      .array(ErrorCount)
      .openapi({ description: 'Codes of failed attempts, retried or not.' }),
    steps: z.array(StepAnalytics),
    durationBoundsMs: z
      .array(z.number())
      .openapi({ description: "The histogram buckets' upper bounds (ms)." }),
  })
  .openapi('FlowAnalytics');
