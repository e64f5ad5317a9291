import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { groupFailures } from './failure-groups';
import { FailureGroups } from './failure-schemas';
import { authErrors, json } from './openapi-common';
import { ErrorBody, RunsQuery } from './schemas';

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
