import { z } from '@hono/zod-openapi';
import { FAILURE_STATUSES } from './failure-groups';

/** The answer of `GET /api/runs/failures` (the dashboard's Failed page reads it). */
export const FailureGroup = z
  .object({
    flow: z.string(),
    status: z.enum(FAILURE_STATUSES),
    errorCode: z.string().nullable().openapi({ description: "The run error's code; null when it has none." }),
    count: z.number().int(),
    firstAt: z.string().openapi({ description: 'When the earliest run of the group ended (ISO).' }),
    lastAt: z.string().openapi({ description: 'When the latest run of the group ended (ISO).' }),
    sampleRunId: z.string().openapi({ description: 'The latest run of the group.' }),
    sampleMessage: z.string().nullable().openapi({ description: "That run's error message." }),
  })
  .openapi('FailureGroup');

export const FailureGroups = z
  .object({
    groups: z.array(FailureGroup).openapi({ description: 'Latest group first.' }),
    scanned: z.number().int().openapi({ description: 'Failed and cancelled runs read.' }),
    truncated: z.boolean().openapi({
      description: 'More than 20,000 runs of one status are retained: the groups count the newest 20,000.',
    }),
  })
  .openapi('FailureGroups');
