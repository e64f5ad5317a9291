import type { Backend } from '@baton/runtime';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import type { CheckResult } from '../ops/connector-health';
import { ConnectorHealth, HealthQuery } from './connector-schemas';
import { authErrors, json } from './openapi-common';
import { ErrorBody } from './schemas';

/** What the backend's budget store says of an instance (`BudgetStore.state`). */
interface BudgetReader {
  state(
    instance: string,
  ): Promise<{ inFlight: number; inWindow: number; waiting: number; pausedUntil?: number }>;
}

/**
 * `GET /connectors/{id}/health` on the admin API: runs the instance's
 * credentials check (at most one at a time per instance, its result
 * remembered 15 s; `?refresh=1` checks again), and answers it with the
 * instance's credentials, breaker and provider budget.
 */
export function registerConnectorHealthRoutes(app: OpenAPIHono, deps: GatewayDeps): void {
  const { engine, backend, health, hub } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connectors/{id}/health',
      summary: "Check a connector instance's credentials now (remembered 15 s), with its breaker and budget",
      request: {
        params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }),
        query: HealthQuery,
      },
      responses: {
        200: json(ConnectorHealth, 'The instance’s health'),
        404: json(ErrorBody, 'No such connector instance'),
        ...authErrors,
      },
    }),
    async (c) => {
      const name = c.req.valid('param').id;
      const instance = hub.instances.get(name);
      if (!instance) throw new GatewayError('CONNECTOR_NOT_FOUND', `no connector instance "${name}"`);
      const refresh = ['1', 'true'].includes(c.req.valid('query').refresh ?? '');
      const result = await health.check(name, { refresh });
      // Read after the check: a check that was refused has just marked the credentials.
      const [credentials, breakers, limits] = await Promise.all([
        health.credentials(name),
        engine.breakerStates().catch(() => ({}) as Awaited<ReturnType<typeof engine.breakerStates>>),
        budgetOf(backend, name),
      ]);
      const breaker = breakers[name];
      return c.json(
        {
          instance: name,
          connector: instance.connector.name,
          ...present(result, credentials.state === 'needs-reconnect'),
          cached: result.cached,
          credentials,
          breaker: { state: breaker?.state ?? 'closed', failures: breaker?.failures ?? 0 },
          ...(limits ? { limits } : {}),
        },
        200,
      );
    },
  );
}

/** The check's fields; credentials marked as refused say `needs-reconnect` whatever an older check found. */
function present(result: CheckResult, refused: boolean) {
  return {
    status: refused && result.status !== 'unchecked' ? ('needs-reconnect' as const) : result.status,
    checkedAt: result.checkedAt !== undefined ? new Date(result.checkedAt).toISOString() : null,
    durationMs: result.durationMs ?? null,
    ...(result.error ? { error: result.error } : {}),
  };
}

/** The instance's provider budget, when the backend keeps budgets and can say (a failed read leaves it out). */
async function budgetOf(backend: Backend, instance: string) {
  // Read structurally: a backend built before budgets existed has none to show.
  const budgets = (backend as { budgets?: Partial<BudgetReader> }).budgets;
  if (typeof budgets?.state !== 'function') return undefined;
  let state: Awaited<ReturnType<BudgetReader['state']>>;
  try {
    state = await budgets.state(instance);
  } catch {
    return undefined;
  }
  return {
    inFlight: state.inFlight,
    inWindow: state.inWindow,
    waiting: state.waiting,
    ...(state.pausedUntil !== undefined ? { pausedUntil: new Date(state.pausedUntil).toISOString() } : {}),
  };
}
