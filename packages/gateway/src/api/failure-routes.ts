import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { FAILURE_STATUSES, groupFailures } from './failure-groups';
import { authErrors, json } from './openapi-common';
import { ErrorBody, RunsQuery } from './schemas';

const FailureGroup = z
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

const FailuresQuery = RunsQuery.pick({ flow: true, since: true });

/**
 * `GET /runs/failures`: the dead letters, the retained failed and cancelled
 * runs (kept under `retention.failed`) grouped by flow, status and error
 * code. Registered before `/runs/{id}`, which would otherwise take
 * "failures" for a run id.
 */
export function registerFailureRoutes(app: OpenAPIHono, deps: GatewayDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs/failures',
      summary: 'Retained failed and cancelled runs grouped by flow, status and error code',
      request: { query: FailuresQuery },
      responses: {
        200: json(FailureGroups, 'The groups'),
        400: json(ErrorBody, 'Bad query'),
        ...authErrors,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const groups = await groupFailures(deps.engine, {
        ...(query.flow ? { flow: query.flow } : {}),
        ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
      });
      return c.json(groups, 200);
    },
  );
}
