import { spanOf } from '@baton/runtime';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import { ANALYTICS_WINDOWS, AnalyticsQuery, FlowAnalytics } from './analytics-schemas';
import { authErrors, json } from './openapi-common';
import { ErrorBody } from './schemas';

/**
 * `GET /flows/{id}/analytics`: a flow's figures over a window (`window`
 * 1h, 24h or 7d; or `since` and `until`), from the counters its runs added
 * as they ended, in whole minute or hour buckets: one read per bucket,
 * whatever the number of runs.
 */
export function registerAnalyticsRoutes(app: OpenAPIHono, deps: GatewayDeps): void {
  const { engine } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/flows/{id}/analytics',
      summary: "A flow's runs, durations, retries, fallbacks, breaker openings and errors over a window",
      request: {
        params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }),
        query: AnalyticsQuery,
      },
      responses: {
        200: json(FlowAnalytics, 'The figures'),
        400: json(ErrorBody, 'Bad window'),
        404: json(ErrorBody, 'No such flow'),
        ...authErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!engine.flows.has(id)) throw new GatewayError('FLOW_NOT_FOUND', `no flow "${id}"`);
      const window = windowOf(c.req.valid('query'), Date.now());
      try {
        return c.json(await engine.flowAnalytics(id, window), 200);
      } catch (error) {
        // The window was checked above; a clock tick since may still put it out of reach.
        if (error instanceof RangeError) throw new GatewayError('REQUEST_INVALID', error.message);
        throw error;
      }
    },
  );
}

/** The window asked for, in epoch ms, checked against what analytics keep. */
function windowOf(query: z.infer<typeof AnalyticsQuery>, now: number): { since: number; until: number } {
  if (query.window && (query.since || query.until)) {
    throw new GatewayError('REQUEST_INVALID', 'give either window or since/until, not both');
  }
  if (query.until && !query.since) throw new GatewayError('REQUEST_INVALID', 'until needs since');
  const since = query.since ? Date.parse(query.since) : now - ANALYTICS_WINDOWS[query.window ?? '24h'];
  const until = Math.min(query.until ? Date.parse(query.until) : now, now);
  const span = spanOf(since, until, now);
  if (typeof span === 'string') throw new GatewayError('REQUEST_INVALID', span);
  return { since, until };
}
